"""The file cache that holds sessions when there is no Redis (``settings.base.CACHES``)."""

from django.core.cache.backends.filebased import FileBasedCache


class SessionFileCache(FileBasedCache):
    """Django's file cache, which sees whether it is full on one write in ``CHECK_EVERY``.

    Django's own lists the whole directory before every write to count its entries. A
    session is written to the cache on its first request in a process (``cached_db``), so
    that listing was paid on every first view and grows with the number of sessions.
    Checking on the first write and then on one in ``CHECK_EVERY`` keeps the size within
    ``MAX_ENTRIES`` plus the writes in between; culling itself is unchanged.
    """

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._check_every = int(params.get("OPTIONS", {}).get("CHECK_EVERY", 100))
        self._writes = 0

    def _cull(self):
        self._writes += 1
        if self._writes % self._check_every == 1 or self._check_every == 1:
            super()._cull()
