-- wrk: rotate realistic queries against /api/v1/icd10/search and count non-2xx.
local queries = {
  "cervicalgia", "neck pain", "low back pain", "lumb radic", "m542", "s134xxa",
  "whiplash", "fibromyalga", "plantar facitis", "frozen shoulder left", "tennis elbow",
  "myalgia", "muscle spasm", "sciatica right", "tension headache", "tmj", "lymphedema",
  "thoracic spine pain", "shoulder pain right", "M79.7", "cerv", "sprain of neck initial",
}
local i = 0
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]:gsub(" ", "+")
  return wrk.format("GET", "/api/v1/icd10/search?limit=10&q=" .. q)
end
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("WRK %d %d %.3f %.3f %.3f\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests / (summary.duration / 1e6)))
end
