-- wrk script: 16 real searches over the CCTV corpus (filters, facets, paging),
-- cycled in order. See BENCHMARKS.md, "Search API under load".
local paths = {
  "/api/search?q=%E7%8E%8B%E6%AF%85",
  "/api/search?q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4&section=%E5%9B%BD%E5%86%85&from=2024-01-01&to=2024-12-31",
  "/api/search?q=%E4%B9%A0%E8%BF%91%E5%B9%B3%20%E4%BC%9A%E8%A7%81",
  "/api/search?q=%22%E6%96%B0%E8%B4%A8%E7%94%9F%E4%BA%A7%E5%8A%9B%22",
  "/api/search?q=&province=%E6%B5%99%E6%B1%9F%E7%9C%81",
  "/api/search?q=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD&sort=date",
  "/api/search?q=%E5%A4%A7%E6%B9%BE%E5%8C%BA&page=2",
  "/api/search?q=%E5%8C%97%E4%BA%AC&region=%E5%8C%97%E4%BA%AC%E5%B8%82",
  "/api/search?q=%E6%B8%85%E6%B0%B4%E5%8E%BF%20%E8%84%B1%E8%B4%AB",
  "/api/search?q=%E4%B8%80%E5%B8%A6%E4%B8%80%E8%B7%AF%20%E5%90%88%E4%BD%9C",
  "/api/search?q=5G",
  "/api/search?q=%E7%A2%B3%E8%BE%BE%E5%B3%B0%20%E7%A2%B3%E4%B8%AD%E5%92%8C",
  "/api/search?q=%E4%B9%8C%E5%85%8B%E5%85%B0&from=2022-01-01&to=2022-12-31",
  "/api/search?q=%E9%AB%98%E8%B4%A8%E9%87%8F%E5%8F%91%E5%B1%95&province=%E5%B9%BF%E4%B8%9C%E7%9C%81",
  "/api/search?q=%E8%81%94%E5%90%88%E5%9B%BD%20%E7%A7%98%E4%B9%A6%E9%95%BF",
  "/api/search?q="
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

done = function(summary, latency, requests)
  io.write(string.format("requests=%d errors_status=%d errors_connect=%d errors_timeout=%d\n", summary.requests, summary.errors.status, summary.errors.connect, summary.errors.timeout))
  for _, p in pairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%g=%.2fms\n", p, latency:percentile(p) / 1000))
  end
end
