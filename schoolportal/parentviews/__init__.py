"""The toolkit feature apps build their parent pages with.

``views`` has the guardian check every parent page starts with and the private download of
a document; ``caching`` keeps a parent's rendered pages until school data changes
(``DataVersion``). Feature apps (agenda, mailings, group pages) import this; the portal's
own pages (dashboard, profile, children) import the features, never the other way.
"""
