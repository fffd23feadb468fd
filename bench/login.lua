-- Password login: POST /auth/login/ (bench/run.sh sets the environment):
--   BENCH_EMAILS    file of e-mail addresses, one per line; requests cycle through them
--   BENCH_PASSWORD  the password every one of them has
dofile(os.getenv("BENCH_LUA_DIR") .. "/stats.lua")

local bodies = {}
local position = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
    local password = os.getenv("BENCH_PASSWORD")
    for _, email in ipairs(read_lines(os.getenv("BENCH_EMAILS"))) do
        table.insert(bodies, string.format('{"email":"%s","password":"%s"}', email, password))
    end
    position = ((thread_number or 1) - 1) * 101
end

function request()
    count_sent()
    position = position % #bodies + 1
    return wrk.format("POST", "/auth/login/", headers, bodies[position])
end
