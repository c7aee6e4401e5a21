-- wrk script: single-flag OFREP evaluations with a context that varies per request.
local counter = 0
request = function()
    counter = counter + 1
    local body = '{"context":{"targetingKey":"user-' .. counter .. '","plan":"pro"}}'
    return wrk.format("POST", "/ofrep/v1/evaluate/flags/ai-summary", {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. os.getenv("SDK_KEY"),
    }, body)
end
