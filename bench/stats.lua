-- Shared by every wrk script in bench/ (loaded with dofile): counts 2xx and other answers per thread,
-- counts requests handed to wrk, and prints one machine-readable BENCH_RESULT line that bench/run.sh
-- parses. Latencies are wrk's, in microseconds.

local threads = {}

function setup(thread)
    thread:set("thread_number", #threads + 1)
    table.insert(threads, thread)
end

-- Per-thread counters (every wrk thread has its own Lua state).
ok_count = 0
other_count = 0
sent_count = 0
other_statuses = {}

function response(status, headers, body)
    if status >= 200 and status < 300 then
        ok_count = ok_count + 1
    else
        other_count = other_count + 1
        other_statuses[status] = (other_statuses[status] or 0) + 1
    end
end

-- The scripts' request() functions call this for every request they hand to wrk.
function count_sent()
    sent_count = sent_count + 1
end

function done(summary, latency, requests)
    local ok, other, sent, statuses = 0, 0, 0, {}
    for _, thread in ipairs(threads) do
        ok = ok + thread:get("ok_count")
        other = other + thread:get("other_count")
        sent = sent + thread:get("sent_count")
        for status, count in pairs(thread:get("other_statuses") or {}) do
            statuses[status] = (statuses[status] or 0) + count
        end
    end
    -- The non-2xx answers by status, "401:3,503:1" ("-" when none).
    local listed = {}
    for status, count in pairs(statuses) do table.insert(listed, status .. ":" .. count) end
    table.sort(listed)
    local statuses_text = #listed > 0 and table.concat(listed, ",") or "-"
    local errors = summary.errors
    io.write(string.format(
        "BENCH_RESULT requests=%d duration_us=%d ok=%d non2xx=%d sent=%d connect=%d read=%d write=%d timeout=%d "
            .. "p50_us=%d p99_us=%d max_us=%d statuses=%s\n",
        summary.requests, summary.duration, ok, other, sent, errors.connect, errors.read, errors.write,
        errors.timeout, latency:percentile(50), latency:percentile(99), latency.max, statuses_text))
end

-- Lines of a file, without empty ones.
function read_lines(path)
    local lines = {}
    local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
    for line in file:lines() do
        if line ~= "" then table.insert(lines, line) end
    end
    file:close()
    return lines
end

-- Splits "a b c" on spaces.
function split_words(line)
    local words = {}
    for word in line:gmatch("%S+") do table.insert(words, word) end
    return words
end
