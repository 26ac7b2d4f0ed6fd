-- wrk.lua: one `make bench` case for wrk, set from the environment; prints one "BENCH key=value ..." line with non-2xx counted.
--
--   BENCH_METHOD     GET (default), PUT, POST, ...
--   BENCH_HEADERS    extra request headers, one "Name: value" per line
--   BENCH_BODY_FILE  the request body; every "@N@" in it becomes a number
--                    unique to the request (so each write changes something)
--   BENCH_TOKENS     bearer tokens separated by spaces: requests take turns
--
-- Every response that is not 2xx counts (wrk itself only counts >= 400,
-- and a 303 to /signin would otherwise pass for a served page).

local method = os.getenv("BENCH_METHOD") or "GET"
local body_tmpl = nil
local tokens = {}

local f = os.getenv("BENCH_BODY_FILE")
if f and f ~= "" then
	local h = assert(io.open(f, "rb"))
	body_tmpl = h:read("*a")
	h:close()
end
for t in string.gmatch(os.getenv("BENCH_TOKENS") or "", "%S+") do
	tokens[#tokens + 1] = t
end

wrk.method = method
for line in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
	local name, value = string.match(line, "^%s*([^:]+):%s*(.-)%s*$")
	if name then
		wrk.headers[name] = value
	end
end

-- per thread (each thread runs its own copy of this script)
non2xx = 0
codes = {}
local thread_id = 0
local n = 0

local threads = {}

function setup(thread)
	thread:set("thread_id", #threads + 1)
	threads[#threads + 1] = thread
end

function init(args)
	thread_id = _G.thread_id or 0
end

-- request is only defined when something changes per request: wrk sends a
-- prebuilt request otherwise, which is what the read cases should measure
if body_tmpl or #tokens > 0 then
	function request()
		n = n + 1
		local headers = nil
		if #tokens > 0 then
			headers = {}
			for k, v in pairs(wrk.headers) do
				headers[k] = v
			end
			headers["Authorization"] = "Bearer " .. tokens[(n + thread_id) % #tokens + 1]
		end
		local body = nil
		if body_tmpl then
			body = string.gsub(body_tmpl, "@N@", thread_id .. "-" .. n)
		end
		return wrk.format(nil, nil, headers, body)
	end
end

function response(status, headers, body)
	if status < 200 or status > 299 then
		non2xx = non2xx + 1
		codes[status] = (codes[status] or 0) + 1
	end
end

function done(summary, latency, requests)
	local bad, bycode = 0, {}
	for _, t in ipairs(threads) do
		bad = bad + t:get("non2xx")
		for code, count in pairs(t:get("codes")) do
			bycode[code] = (bycode[code] or 0) + count
		end
	end
	local list = {}
	for code, count in pairs(bycode) do
		list[#list + 1] = code .. ":" .. count
	end
	table.sort(list)
	local e = summary.errors
	io.write(string.format(
		"BENCH requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
		"non2xx=%d connect=%d read=%d write=%d timeout=%d codes=%s\n",
		summary.requests, summary.duration, summary.bytes,
		latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
		bad, e.connect, e.read, e.write, e.timeout, #list > 0 and table.concat(list, ",") or "-"))
end
