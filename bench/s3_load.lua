-- wrk script for bench/s3_load.py: rotates over presigned URLs (one per line
-- in S3_LOAD_URLS), sending PUT bodies of S3_LOAD_SIZE bytes or plain GETs.
local urls = {}
local method = os.getenv("S3_LOAD_METHOD") or "GET"
local size = tonumber(os.getenv("S3_LOAD_SIZE") or "0")
local body = nil
local counter = 0
local reqs = {}

init = function(args)
  for line in io.lines(os.getenv("S3_LOAD_URLS")) do
    urls[#urls + 1] = line
  end
  if method == "PUT" then body = string.rep("x", size) end
  local headers = {}
  if method == "PUT" then headers["Content-Type"] = "application/octet-stream" end
  -- Formatting a request copies the body: do it once per URL, not per request.
  for i, u in ipairs(urls) do reqs[i] = wrk.format(method, u, headers, body) end
  counter = math.random(#urls)
end

request = function()
  counter = counter % #reqs + 1
  return reqs[counter]
end

done = function(summary, latency, requests)
  io.write(string.format("S3LOAD ops=%d errors=%d seconds=%.3f p50_us=%d p99_us=%d\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99)))
end
