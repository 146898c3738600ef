-- The benchmark's wrk script (bench/run.sh --generator wrk; docs/performance.md): POSTs the payload file to
-- /api/v1/devices/{pk}/{dev%05d}/user/bench?qos=Q, cycling over the N devices, each thread from its own offset,
-- and prints one JSON line in done() for the orchestrator (Wrk.java) to read.
--
--   wrk -t T -c C -d D -s post.lua http://host:port -- <productKey> <devices> <qos> <payload file> <T>
--       [<first slot> <slots>]
--
-- Several wrk processes sharing one load (one per replica of a cluster, ClusterScenarios.java) pass the slot of their
-- first thread and the threads of all of them, so that all threads start at different devices, and set
-- BENCH_WRK_QUANTILES=1 in the environment (done() runs in the main Lua state, which sees no arguments): the line
-- then adds the latency at every tenth of a percent ("q", microseconds), from which the orchestrator merges them.

local next_thread = 0

-- runs in the main Lua state, once per thread before any init(): gives each thread its index
function setup(thread)
   thread:set("offset", next_thread)
   next_thread = next_thread + 1
end

local requests = {}
local count = 0
local position = 0

function init(args)
   local product_key, devices, qos, payload_file = args[1], tonumber(args[2]), args[3], args[4]
   local thread_count = tonumber(args[5])
   local first_slot = tonumber(args[6] or "0")
   local slots = tonumber(args[7] or args[5])
   local file = assert(io.open(payload_file, "rb"))
   local body = file:read("*a")
   file:close()
   local headers = { ["Content-Type"] = "application/octet-stream" }
   -- formatted once: wrk then only copies bytes per request, which keeps the generator's CPU small
   for i = 1, devices do
      local path = string.format("/api/v1/devices/%s/dev%05d/user/bench?qos=%s", product_key, i, qos)
      requests[i] = wrk.format("POST", path, headers, body)
   end
   count = devices
   -- threads spread over the devices, so two threads do not post as the same device at the same moment
   position = math.floor((first_slot + offset) * devices / slots) % devices
end

function request()
   position = position % count + 1
   return requests[position]
end

function done(summary, latency)
   local e = summary.errors
   local q = ""
   if os.getenv("BENCH_WRK_QUANTILES") == "1" then
      local points = {}
      for i = 1, 999 do
         points[i] = string.format("%d", latency:percentile(i / 10))
      end
      q = ',"q":[' .. table.concat(points, ",") .. ']'
   end
   io.write(string.format('{"requests":%d,"duration_us":%d,"non2xx":%d,"connect":%d,"read":%d,"write":%d,'
      .. '"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f%s}\n',
      summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean, q))
end
