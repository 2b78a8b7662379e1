-- wrk script for bench/run.py: every request carries another session cookie.
-- Parent pages are cached per session, so this measures a session's first view of a
-- page (rendered), where a single cookie would measure cache hits only.
-- Arguments after `--`: the file with one "sessionid=...; csrftoken=..." line per session, and the
-- number of wrk threads (each thread takes every n-th line, so no two share one).
-- A line may start with a path and a tab: that session asks for its own page (its child's
-- class list, say) instead of the URL wrk was given.

local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  cookies = {}
  paths = {}
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]+)\t(.+)$")
    cookies[#cookies + 1] = cookie or line
    paths[#cookies] = path
  end
  step = tonumber(args[2])
  next_index = id
end

function request()
  local index = (next_index % #cookies) + 1
  next_index = next_index + step
  return wrk.format(nil, paths[index], { Cookie = cookies[index] })
end
