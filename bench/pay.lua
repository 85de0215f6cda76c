-- pay.lua — wrk script of bench/serve.sh: every request is a payment
-- request (POST /api/regions/{region}/payments) with its own Idempotency-Key,
-- on a line taken in turn from the list given, 1 fen each so that no line
-- runs out of 可用. At the end it prints one line the harness reads:
--   PAY <acknowledged 201> <other statuses> <socket errors> <p50 µs> <p99 µs> <requests/s>
-- Arguments (after --): token, region path segment (URL-encoded), key
-- prefix (unique per wrk process), line ids separated by commas.
local threads = {}
local counter = 1

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  token, region, prefix = args[1], args[2], args[3]
  lines = {}
  for id in string.gmatch(args[4], "[^,]+") do table.insert(lines, id) end
  n, ok, other = 0, 0, 0
  path = "/api/regions/" .. region .. "/payments"
end

function request()
  n = n + 1
  local line = lines[(n + tid) % #lines + 1]
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = prefix .. "-" .. tid .. "-" .. n,
    ["Content-Type"] = "application/json",
  }
  return wrk.format("POST", path, headers, '{"line":' .. line .. ',"amount":"0.01","payee":"bench"}')
end

function response(status, headers, body)
  if status == 201 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local acked, others = 0, 0
  for _, t in ipairs(threads) do
    acked = acked + t:get("ok")
    others = others + t:get("other")
  end
  local e = summary.errors
  local errs = e.connect + e.read + e.write + e.timeout
  io.write(string.format("PAY %d %d %d %d %d %.1f\n", acked, others, errs,
    latency:percentile(50), latency:percentile(99), acked / (summary.duration / 1e6)))
end
