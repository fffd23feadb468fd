-- The write path: POST /private/add-message/{chat_id}/ (bench/run.sh sets the environment):
--   BENCH_AUTH  bearer (through the gateway) | internal (straight to PrivateChat)
--   BENCH_TARGETS  file of "user_id chat_id access_token" lines; requests cycle through them
--   BENCH_INTERNAL_TOKEN  for BENCH_AUTH=internal
-- stats.lua counts the 2xx answers; run.sh compares them with the rows stored.
dofile(os.getenv("BENCH_LUA_DIR") .. "/stats.lua")

local targets = {}
local position = 0
local auth

function init(args)
    auth = os.getenv("BENCH_AUTH") or "bearer"
    for _, line in ipairs(read_lines(os.getenv("BENCH_TARGETS"))) do
        local fields = split_words(line)
        table.insert(targets, { user_id = fields[1], chat_id = fields[2], token = fields[3] })
    end
    position = ((thread_number or 1) - 1) * 7
end

function request()
    count_sent()
    position = position % #targets + 1
    local target = targets[position]
    local headers = { ["Content-Type"] = "application/json" }
    if auth == "bearer" then
        headers["Authorization"] = "Bearer " .. target.token
    else
        headers["X-Internal-Token"] = os.getenv("BENCH_INTERNAL_TOKEN")
        headers["X-User-Id"] = target.user_id
        headers["X-Session-Id"] = "bench-session"
    end
    local body = string.format('{"text":"bench write %d-%d"}', thread_number or 1, sent_count)
    return wrk.format("POST", "/private/add-message/" .. target.chat_id .. "/", headers, body)
end
