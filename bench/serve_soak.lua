-- wrk script for bench/serve_soak.sh: a mix of valid requests, many of them distinct
-- (random countries and year ranges), so the response cache fills and evicts and the
-- soak shows whether memory settles. Every request here must answer 2xx.
local countries = {"JPN", "KOR", "USA", "DEU", "FRA", "GBR", "POL", "TUR", "ITA", "CAN",
                   "AUS", "NOR", "ESP", "NLD", "PHL", "TWN", "ISR", "EST", "LTU", "LVA"}
local n = 0

local function pick(t) return t[math.random(#t)] end

request = function()
  n = n + 1
  local k = n % 10
  local c = pick(countries)
  local from = math.random(1960, 2024)
  local to = math.min(2030, from + math.random(0, 12))
  -- Pages and charts draw what exists: years every listed country has.
  local recent = math.random(1995, 2020)
  local path
  if k < 4 then
    path = string.format("/api/series?country=%s,%s&from=%d&to=%d", c, pick(countries), from, to)
  elseif k == 4 then
    path = string.format("/api/series.csv?country=%s&measure=gdp_usd&definition=wb&from=%d&to=%d", c, from, to)
  elseif k == 5 then
    path = string.format("/api/explain?country=%s&measure=milex_gdp&year=%d", c, math.random(1993, 2024))
  elseif k == 6 then
    path = string.format("/country?country=%s&from=%d&to=%d", c, recent, recent + 4)
  elseif k == 7 then
    path = string.format("/alliance?alliance=NATO&year=%d", math.random(2000, 2024))
  elseif k == 8 then
    path = string.format("/chart/series.svg?country=%s&from=%d&to=%d", c, recent, recent + 4)
  else
    path = "/api/targets?alliance=NATO"
  end
  return wrk.format("GET", path)
end
