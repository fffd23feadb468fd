-- GET scenarios (bench/run.sh sets the environment):
--   BENCH_GET   chat-list | messages | search (GET /users/user/?username= of the target's own username)
--               | get-token | static
--   BENCH_AUTH  bearer (through the gateway: Authorization: Bearer <token>)
--               | internal (straight to PrivateChat or Users: the headers the gateway would forward)
--               | none
--   BENCH_TARGETS  file of "user_id chat_id access_token [username]" lines; requests cycle through them
--   BENCH_INTERNAL_TOKEN  for BENCH_AUTH=internal
dofile(os.getenv("BENCH_LUA_DIR") .. "/stats.lua")

local prepared = {}
local position = 0

function init(args)
    local kind = os.getenv("BENCH_GET") or "chat-list"
    local auth = os.getenv("BENCH_AUTH") or "bearer"
    local targets = read_lines(os.getenv("BENCH_TARGETS"))
    for _, line in ipairs(targets) do
        local fields = split_words(line)
        local user_id, chat_id, token, username = fields[1], fields[2], fields[3], fields[4]
        local path
        if kind == "chat-list" then
            path = "/private/chat-list/"
        elseif kind == "messages" then
            path = "/private/" .. chat_id .. "/messages?limit=50"
        elseif kind == "search" then
            assert(username, "BENCH_GET=search needs a username in every line of BENCH_TARGETS")
            path = "/users/user/?username=" .. username
        elseif kind == "get-token" then
            path = "/gateway/get-token/"
        else
            path = "/bench-static"
        end
        local headers = {}
        if auth == "bearer" then
            headers["Authorization"] = "Bearer " .. token
        elseif auth == "internal" then
            headers["X-Internal-Token"] = os.getenv("BENCH_INTERNAL_TOKEN")
            headers["X-User-Id"] = user_id
            headers["X-Session-Id"] = "bench-session"
        end
        table.insert(prepared, wrk.format("GET", path, headers))
    end
    -- Threads start at different targets.
    position = ((thread_number or 1) - 1) * 7
end

function request()
    count_sent()
    position = position % #prepared + 1
    return prepared[position]
end
