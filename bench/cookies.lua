-- wrk script for bench/run.py's "nginx" case: every request carries cookies of its own that mean nothing
-- to the site (analytics, a theme), as real readers' browsers send; plus the machine-readable report.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")

local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", nil, { ["Cookie"] = "_ga=GA1.2." .. counter .. "; theme=t" .. (counter % 7) })
end
