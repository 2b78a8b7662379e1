-- wrk script for bench/run.py: every request carries another session cookie.
-- Parent pages are cached per session, so this measures a session's first view of a
-- page (rendered), where a single cookie would measure cache hits only.
-- Arguments after `--`: the file with one "sessionid=...; csrftoken=..." line per session, and the
-- number of wrk threads (each thread takes every n-th line, so no two share one).

local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  cookies = {}
  for line in io.lines(args[1]) do
    cookies[#cookies + 1] = line
  end
  step = tonumber(args[2])
  next_index = id
end

function request()
  local cookie = cookies[(next_index % #cookies) + 1]
  next_index = next_index + step
  return wrk.format(nil, nil, { Cookie = cookie })
end
