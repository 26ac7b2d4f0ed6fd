-- soak.lua: the mixed reads and writes of `make soak` for wrk; prints a per-second timeline of 2xx and other answers ("SOAK ..." lines).
--
-- Environment: SOAK_READER (bearer token of the member with the folder),
-- SOAK_COOKIE (that member's session cookie value), SOAK_PUBLIC (path of a
-- public card page), SOAK_WRITERS (bearer tokens, space-separated, of the
-- members whose cards are written), SOAK_CARD_FILE (card JSON, "@N@" made
-- unique per write), SOAK_RUN (a word making sign-up addresses unique).
--
-- The mix, per 100 requests: 30 GET /api/v1/card, 20 public page,
-- 15 folder search, 5 folder page, 29 PUT /api/v1/card (If-Match: *),
-- 1 sign-up (POST /api/v1/accounts: queues a verification mail; its
-- User-Agent "livecard-soak signup ADDRESS" names the address in nginx's log).

local reader = os.getenv("SOAK_READER") or ""
local cookie = os.getenv("SOAK_COOKIE") or ""
local public = os.getenv("SOAK_PUBLIC") or ""
local run = os.getenv("SOAK_RUN") or "soak"
local writers = {}
for t in string.gmatch(os.getenv("SOAK_WRITERS") or "", "%S+") do
	writers[#writers + 1] = t
end
local card = ""
local f = os.getenv("SOAK_CARD_FILE")
if f and f ~= "" then
	local h = assert(io.open(f, "rb"))
	card = h:read("*a")
	h:close()
end

-- per thread
ok_at = {}	-- second -> 2xx answers
bad_at = {}	-- second -> other answers
codes = {}	-- "KIND status" -> count, for the answers that were not 2xx
signups = 0	-- sign-up requests answered 201
local n = 0
local thread_id = 0

local threads = {}

function setup(thread)
	thread:set("thread_id", #threads + 1)
	threads[#threads + 1] = thread
end

function init(args)
	thread_id = _G.thread_id or 0
end

local function pick(i)
	if i < 30 then return "card-get" end
	if i < 50 then return "public" end
	if i < 65 then return "search" end
	if i < 70 then return "folder-page" end
	if i < 99 then return "card-put" end
	return "signup"
end

function request()
	n = n + 1
	local kind = pick((n * 37) % 100)
	if kind == "public" and public == "" then kind = "card-get" end
	if kind == "card-get" then
		return wrk.format("GET", "/api/v1/card", {["Authorization"] = "Bearer " .. reader})
	elseif kind == "public" then
		return wrk.format("GET", public, {})
	elseif kind == "search" then
		local q = ({"zhang", "wang", "acme", "139", "berlin"})[n % 5 + 1]
		return wrk.format("GET", "/api/v1/folder?q=" .. q, {["Authorization"] = "Bearer " .. reader})
	elseif kind == "folder-page" then
		return wrk.format("GET", "/folder?limit=50", {["Cookie"] = "lc_session=" .. cookie})
	elseif kind == "card-put" then
		local tok = writers[(n + thread_id) % #writers + 1]
		local body = string.gsub(card, "@N@", run .. "-" .. thread_id .. "-" .. n)
		return wrk.format("PUT", "/api/v1/card", {
			["Authorization"] = "Bearer " .. tok,
			["Content-Type"] = "application/json",
			["If-Match"] = "*"}, body)
	else
		local addr = string.format("soak-%s-%d-%d@example.com", run, thread_id, n)
		local body = string.format('{"email":"%s","password":"soak password %d","full_name":"Soak %d"}',
			addr, n, n)
		-- the address in the User-Agent puts it in nginx's access log next to
		-- the answer's status: soak.sh compares the accounts created with them
		return wrk.format("POST", "/api/v1/accounts", {["Content-Type"] = "application/json",
			["User-Agent"] = "livecard-soak signup " .. addr}, body)
	end
end

-- wrk answers in order per connection but not across connections, so the
-- kind of an answer is only known for sign-ups (201) and failures are
-- counted by status; the timeline is what matters here.
function response(status, headers, body)
	local t = os.time()
	if status >= 200 and status <= 299 then
		ok_at[t] = (ok_at[t] or 0) + 1
		if status == 201 then
			signups = signups + 1
		end
	else
		bad_at[t] = (bad_at[t] or 0) + 1
		local k = tostring(status)
		codes[k] = (codes[k] or 0) + 1
	end
end

function done(summary, latency, requests)
	local ok, bad, bycode, secs = {}, {}, {}, {}
	local nsign = 0
	for _, th in ipairs(threads) do
		for t, c in pairs(th:get("ok_at")) do
			ok[t] = (ok[t] or 0) + c
			secs[t] = true
		end
		for t, c in pairs(th:get("bad_at")) do
			bad[t] = (bad[t] or 0) + c
			secs[t] = true
		end
		for k, c in pairs(th:get("codes")) do
			bycode[k] = (bycode[k] or 0) + c
		end
		nsign = nsign + th:get("signups")
	end
	local list = {}
	for t in pairs(secs) do
		list[#list + 1] = t
	end
	table.sort(list)
	for _, t in ipairs(list) do
		io.write(string.format("SOAK second=%d ok=%d bad=%d\n", t, ok[t] or 0, bad[t] or 0))
	end
	local cl = {}
	for k, c in pairs(bycode) do
		cl[#cl + 1] = k .. ":" .. c
	end
	table.sort(cl)
	local e = summary.errors
	io.write(string.format(
		"SOAK total requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d signups=%d " ..
		"connect=%d read=%d write=%d timeout=%d codes=%s\n",
		summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
		latency.max, nsign, e.connect, e.read, e.write, e.timeout,
		#cl > 0 and table.concat(cl, ",") or "-"))
end
