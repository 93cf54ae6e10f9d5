-- wrk script for `make bench` (bench/run.py writes the environment it reads).
--
-- BENCH_BODY_FILE  the request body; %CODE% is replaced by a random line of BENCH_CODES_FILE,
--                  %ID% by a random integer in 1..BENCH_MAX_ID, %TOKEN% by a fresh random token
-- BENCH_METHOD     GET or POST (default POST; a GET sends no body)
-- BENCH_TYPE       the Content-Type header
-- BENCH_COOKIE     a Cookie header (the web forms' session, for their CSRF token)
-- BENCH_OUT        where done() writes the figures as JSON

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

local body_template = slurp(os.getenv("BENCH_BODY_FILE"))
local codes = {}
local max_id = tonumber(os.getenv("BENCH_MAX_ID") or "1")
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

local codes_file = os.getenv("BENCH_CODES_FILE")
if codes_file and codes_file ~= "" then
  for line in io.lines(codes_file) do
    if line ~= "" then codes[#codes + 1] = line end
  end
end

wrk.method = os.getenv("BENCH_METHOD") or "POST"
local get = wrk.method == "GET"
if not get then wrk.headers["Content-Type"] = os.getenv("BENCH_TYPE") end
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

local function token()
  local out = {}
  for i = 1, 32 do
    local k = math.random(1, #alphabet)
    out[i] = alphabet:sub(k, k)
  end
  return table.concat(out)
end

function request()
  if get then return wrk.format(nil, nil, nil, nil) end
  local body = body_template
  if #codes > 0 then body = body:gsub("%%CODE%%", codes[math.random(1, #codes)]) end
  body = body:gsub("%%ID%%", tostring(math.random(1, max_id)))
  body = body:gsub("%%TOKEN%%", token())
  return wrk.format(nil, nil, nil, body)
end

local statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local f = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  f:write(string.format(
    '{"requests": %d, "seconds": %.6f, "non_2xx": %d, "socket_errors": %d, ' ..
    '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "mean_ms": %.3f}',
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000))
  f:close()
end
