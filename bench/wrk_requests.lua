-- wrk script for bench/side.py: rotates over prepared requests. WRK_REQUESTS
-- names a JSON-lines file, one request per line:
--   {"method":"GET","path":"/b/k?X-Amz-...","headers":{"h":"v"},"body":"..."}
-- (no JSON library in wrk: side.py writes each request as four tab-separated
-- fields instead: method, path, headers as k=v joined by \x01, body.)
local reqs = {}
local counter = 0

local function split(s, sep)
  local out, start = {}, 1
  while true do
    local i = string.find(s, sep, start, true)
    if not i then out[#out + 1] = string.sub(s, start); return out end
    out[#out + 1] = string.sub(s, start, i - 1)
    start = i + #sep
  end
end

init = function(args)
  local f = assert(io.open(os.getenv("WRK_REQUESTS"), "rb"))
  local data = f:read("*a")
  f:close()
  for _, line in ipairs(split(data, "\n")) do
    if #line > 0 then
      local fields = split(line, "\t")
      local headers = {}
      if fields[3] and #fields[3] > 0 then
        for _, kv in ipairs(split(fields[3], "\1")) do
          local eq = string.find(kv, "=", 1, true)
          headers[string.sub(kv, 1, eq - 1)] = string.sub(kv, eq + 1)
        end
      end
      local body = fields[4]
      if body == "" then body = nil end
      local size = tonumber(os.getenv("WRK_BODY_SIZE") or "0")
      if size > 0 then body = string.rep("x", size) end
      reqs[#reqs + 1] = wrk.format(fields[1], fields[2], headers, body)
    end
  end
  counter = math.random(#reqs)
end

request = function()
  counter = counter % #reqs + 1
  return reqs[counter]
end

done = function(summary, latency, requests)
  io.write(string.format("WRKRESULT ops=%d errors=%d non2xx=%d seconds=%.3f p50_us=%d p99_us=%d\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration / 1e6, latency:percentile(50), latency:percentile(99)))
end
