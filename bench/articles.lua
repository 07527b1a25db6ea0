-- wrk script for bench/busy.py's readers: each request for one of the seeded articles (bench-article-000 ..,
-- as many as the script's argument says), picked at random, with cookies of its own that mean nothing to the
-- site (analytics, a theme), as real readers' browsers send; plus the machine-readable report.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")

local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("number", threads)
end

local articles, counter = 100, 0
init = function(args)
  articles = tonumber(args[1]) or articles
  math.randomseed(os.time() * 100 + number)
end

request = function()
  counter = counter + 1
  local path = string.format("/articles/bench-article-%03d/", math.random(0, articles - 1))
  local cookie = "_ga=GA1.2." .. number .. "." .. counter .. "; theme=t" .. (counter % 7)
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end
