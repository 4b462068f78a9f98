-- wrk script for a fixed, moderate request rate (wrk2 is not packaged in Debian): every connection
-- waits WRK_DELAY_MS (default 10) before each request, so C connections send about
-- C * 1000 / (WRK_DELAY_MS + latency) requests a second. wrk starts a request's latency clock when
-- it writes the request, after the delay, so the pause is not counted as latency.
local ms = tonumber(os.getenv("WRK_DELAY_MS") or "10")
function delay()
    return ms
end
