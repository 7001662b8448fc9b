-- Redis 7.0's Lua environment (script_lua.c, eval.c scriptingInit) on a plain Lua 5.1: what Redis writes in C is
-- written here in Lua, over a few Java functions. Loaded once per Lua state, as the chunk "=[redis]"; the frames
-- of this chunk are skipped when an error's position is taken, as Redis's are C frames.
local java = ...
local error, type, tostring, tonumber, select, rawget, rawset, setmetatable, unpack, lua_pcall, xpcall =
  error, type, tostring, tonumber, select, rawget, rawset, setmetatable, unpack, pcall, xpcall
local sub, find, gsub, char, byte = string.sub, string.find, string.gsub, string.char, string.byte
local dbg = debug

-- luaPushErrorBuff: "-CODE msg" keeps its code, "msg" gets ERR; trailing CR/LF trimmed.
local function error_table(text)
  local code, msg = 'ERR', text
  if sub(text, 1, 1) == '-' then
    local space = find(text, ' ', 1, true)
    if space then code, msg = sub(text, 2, space - 1), sub(text, space + 1) else msg = sub(text, 2) end
  end
  msg = gsub(gsub(msg, '^[\r\n]+', ''), '[\r\n]+$', '')
  return {err = code .. ' ' .. msg}
end

local redis = {}

-- The functions that may raise an error are Java functions (C frames to Lua), so that an error's position is
-- the script's line even in a tail call, as with Redis's C functions.
redis.call, redis.pcall, redis.sha1hex, redis.log, redis.setresp, redis.set_repl, redis.acl_check_cmd =
  java.call, java.pcall, java.sha1hex, java.log, java.setresp, java.set_repl, java.acl_check_cmd

local function single_field(field, ...)
  local n = select('#', ...)
  local value = ...
  if n ~= 1 or type(value) ~= 'string' then return error_table('wrong number or type of arguments') end
  return {[field] = value}
end

function redis.error_reply(...)
  local n = select('#', ...)
  local value = ...
  if n ~= 1 or type(value) ~= 'string' then return error_table('wrong number or type of arguments') end
  if sub(value, 1, 1) ~= '-' then value = '-' .. value end
  return error_table(value)
end

function redis.status_reply(...)
  return single_field('ok', ...)
end

redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3

function redis.replicate_commands()
  return true
end

function redis.breakpoint()
  return false
end

function redis.debug()
end

redis.REDIS_VERSION = java.version
redis.REDIS_VERSION_NUM = java.version_num

-- Redis's pcall: an error table with an err field is caught as its message.
local function pcall_result(ok, ...)
  if ok then return ok, ... end
  local e = ...
  if type(e) == 'table' then
    local m = e.err
    if type(m) == 'string' or type(m) == 'number' then e = m end
  end
  return false, e
end

local function redis_pcall(f, ...)
  return pcall_result(lua_pcall(f, ...))
end

-- The error handler: the position is that of the first frame that is neither C nor this chunk's.
local function err_handler(err)
  local level = 2
  local i = dbg.getinfo(level, 'nSl')
  while i and (i.what == 'C' or i.source == '=[redis]') do
    level = level + 1
    i = dbg.getinfo(level, 'nSl')
  end
  if type(err) ~= 'table' then
    err = {err = 'ERR ' .. tostring(err)}
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

-- Byte strings come from Java as modified UTF-8 when they hold bytes 0 or 128-255 (JNI's only string form):
-- those are always two-byte sequences C0-C3 80-BF, turned back into the one byte each stands for.
local function decode_pair(pair)
  local a, b = byte(pair, 1, 2)
  return char((a - 192) * 64 + (b - 128))
end

local function decode(s)
  return (gsub(s, '[\192-\195][\128-\191]', decode_pair))
end

-- The globals scripts see: reads go to `visible` (an error for a name it lacks), writes fail: Redis's readonly
-- globals. Redis's library set only.
local visible = {}
for _, name in ipairs({'string', 'math', 'table', 'coroutine', 'xpcall', 'tostring', 'setmetatable', 'next',
    'assert', 'tonumber', 'rawequal', 'collectgarbage', 'getmetatable', 'rawset', 'type', 'select', 'unpack',
    'gcinfo', 'pairs', 'rawget', 'loadstring', 'ipairs', '_VERSION', 'load', 'error'}) do
  visible[name] = _G[name]
end
visible.pcall = redis_pcall
visible.redis = redis
visible.__redis__err__handler = err_handler

local globals = _G
local proxy_meta = {
  __index = visible,
  -- luajava clears the global __jthrowable__ after each Java function: not a script's write.
  __newindex = function(t, k, v)
    if k ~= '__jthrowable__' then error('Attempt to modify a readonly table', 2) end
  end,
  __metatable = false,
}
setmetatable(visible, {
  __index = function(t, k)
    if k == '__jthrowable__' then return nil end -- luajava reads it after every failed call, unprotected
    error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
  end,
  __newindex = function(t, k, v) error('Attempt to modify a readonly table', 2) end,
  __metatable = false,
})
for k in pairs(globals) do globals[k] = nil end
rawset(visible, "_G", globals)
setmetatable(globals, proxy_meta)

-- What Java calls: sets KEYS and ARGV, runs a compiled script under the error handler.
local function run(f, keys, argv)
  rawset(visible, 'KEYS', keys)
  rawset(visible, 'ARGV', argv)
  return xpcall(f, err_handler)
end

return run, decode
