-- Redis 7.0's Lua environment (script_lua.c, eval.c scriptingInit) on a plain Lua 5.1: what Redis writes in C is
-- written here in Lua, over a few Java functions. Loaded once per Lua state, as the chunk "=[redis]"; the frames
-- of this chunk are skipped when an error's position is taken, as Redis's are C frames.
local java = ...
local error, type, tostring, tonumber, select, rawget, rawset, setmetatable, unpack, lua_pcall, xpcall =
  error, type, tostring, tonumber, select, rawget, rawset, setmetatable, unpack, pcall, xpcall
local sub, find, gsub, char, byte = string.sub, string.find, string.gsub, string.char, string.byte
local pairs, ipairs = pairs, ipairs
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
  while i and (i.what == 'C' or i.source == '=[redis]' or i.what == 'tail') do
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

-- Lua 5.1.5's unpack overflows its count with extreme indexes and crashes the process; Redis patched its Lua to
-- answer "too many results to unpack" instead (luaB_unpack with an unsigned count), and so does this check.
local raw_unpack, tonumber_, floor_ = unpack, tonumber, math.floor
local function to_int(n)
  if n >= 0 then return floor_(n) end
  return -floor_(-n)
end
-- It passes on exactly the arguments it got: Lua's stack check counts them beside the results.
local function checked_unpack(...)
  local t, i, e = ...
  if type(t) == 'table' then
    local first = i == nil and 1 or tonumber_(i)
    local last = e == nil and #t or tonumber_(e)
    if first and last then
      first, last = to_int(first), to_int(last)
      if first <= last and last - first >= 2147483647 then error('too many results to unpack', 2) end
      -- Near the stack's limit Lua's own check answers; its error then carries the script's position.
      if first <= last and last - first >= 1000 and not lua_pcall(raw_unpack, ...) then
        error('too many results to unpack', 2)
      end
    end
  end
  return raw_unpack(...)
end

-- Redis's Lua loads no binary chunks (string.dump's): it parses one as text, where the first byte, ESC, is no
-- symbol. The chunk's name as Lua 5.1's luaO_chunkid writes it (LUA_IDSIZE 80 as in Debian's redis-server), the
-- source read as a C string.
local raw_loadstring, match_ = loadstring, string.match
local function chunk_id(source)
  source = match_(source, '^[^%z]*')
  local first = sub(source, 1, 1)
  if first == '=' then return sub(source, 2, 80) end
  if first == '@' then
    source = sub(source, 2)
    if #source > 72 then return '...' .. sub(source, -72) end
    return source
  end
  local line = match_(source, '^[^\r\n]*')
  if #line > 63 then line = sub(line, 1, 63) end
  if #line < #source then return '[string "' .. line .. '..."]' end
  return '[string "' .. source .. '"]'
end
local function text_loadstring(chunk, name)
  if type(chunk) == 'string' and byte(chunk, 1) == 27 then
    return nil, chunk_id(type(name) == 'string' and name or chunk) .. ":1: unexpected symbol near 'char(27)'"
  end
  return raw_loadstring(chunk, name)
end

-- SCRIPT KILL / FUNCTION KILL (and FUNCTION LOAD's time limit): every 100,000 instructions Java is asked whether
-- the running script is to stop (Redis's luaMaskCountHook); it raises the kill error when so. Then, as Redis's
-- hook, it runs on every line of that thread, so a pcall that caught the error cannot keep the script going; the
-- next script's first line puts the count back.
local check_kill = java.check_kill
local running = coroutine.running
local main_thread = {} -- every_line's key for the main thread (coroutine.running() is nil there)
local every_line = setmetatable({}, {__mode = 'k'})
local function kill_hook()
  -- Only the user's code is stopped here: the prelude's own lines (load_library's after its pcall, the error
  -- handler) must run, and an error raised in them would reach the Java caller unprotected.
  if dbg.getinfo(2, 'S').source == '=[redis]' then return end
  local thread = running() or main_thread
  local ok, err = lua_pcall(check_kill)
  if ok then
    if every_line[thread] then
      every_line[thread] = nil
      dbg.sethook(kill_hook, '', 100000)
    end
    return
  end
  if not every_line[thread] then
    every_line[thread] = true
    dbg.sethook(kill_hook, 'l')
  end
  error(err, 0)
end

-- Lua 5.1 keeps the hook per thread (Lua's C hook, Redis's, is copied to a new thread; debug.sethook's is not), so
-- each coroutine gets kill_hook, in its creator's mode, as it is created. coroutine.create and wrap are called
-- through a Java (C) frame, as Lua's own C functions: their argument error names the function as the caller spelled
-- it and carries the caller's position (luaL_argerror), a tail call included.
local co_create, co_wrap = coroutine.create, coroutine.wrap
local function lua_function_expected(f)
  if type(f) == 'function' and dbg.getinfo(f, 'S').what ~= 'C' then return nil end
  -- Level 1 is this function, 2 the replacement, 3 the Java frame the script called, 4 the script.
  local called, caller = dbg.getinfo(3, 'n'), dbg.getinfo(4, 'Sl')
  local where = ''
  if caller and caller.currentline > 0 then where = caller.short_src .. ':' .. caller.currentline .. ': ' end
  if called.namewhat == 'method' then
    return where .. "calling '" .. called.name .. "' on bad self (Lua function expected)"
  end
  return where .. "bad argument #1 to '" .. (called.name or '?') .. "' (Lua function expected)"
end

local function hooked_create(f)
  local bad = lua_function_expected(f)
  if bad then return false, bad end
  local co = co_create(f)
  if every_line[running() or main_thread] then
    every_line[co] = true
    dbg.sethook(co, kill_hook, 'l')
  else
    dbg.sethook(co, kill_hook, '', 100000)
  end
  return true, co
end

local function hooked_wrap(f)
  local bad = lua_function_expected(f)
  if bad then return false, bad end
  local line = every_line[running() or main_thread]
  -- The wrapper's coroutine sets its own hook first, then tail-calls f (so f's frames are as in Lua's own wrap).
  return true, co_wrap(function(...)
    if line then
      every_line[running()] = true
      dbg.sethook(kill_hook, 'l')
    else
      dbg.sethook(kill_hook, '', 100000)
    end
    return f(...)
  end)
end

coroutine.create = java.c_frame(hooked_create)
coroutine.wrap = java.c_frame(hooked_wrap)

-- The globals scripts see: reads go to `visible` (an error for a name it lacks), writes fail: Redis's readonly
-- globals. Redis's library set only.
local visible = {}
for _, name in ipairs({'string', 'math', 'table', 'coroutine', 'xpcall', 'tostring', 'setmetatable', 'next',
    'assert', 'tonumber', 'rawequal', 'collectgarbage', 'getmetatable', 'rawset', 'type', 'select', 'unpack',
    'gcinfo', 'pairs', 'rawget', 'loadstring', 'ipairs', '_VERSION', 'load', 'error'}) do
  visible[name] = _G[name]
end
visible.pcall = redis_pcall
visible.unpack = checked_unpack
visible.loadstring = text_loadstring
visible.redis = redis
visible.__redis__err__handler = err_handler
-- Redis's bundled libraries: cjson, cmsgpack, bit, struct (redis-libraries.lua); they and the other library
-- tables read-only, as Redis's globals.
java.install_libraries(visible, _G)

local globals = _G
local proxy_meta = {
  __index = visible,
  -- luajava clears the global __jthrowable__ after each Java function: not a script's write.
  __newindex = function(t, k, v)
    if k ~= '__jthrowable__' then error('Attempt to modify a readonly table', 2) end
  end,
  __metatable = false,
}
local protected_meta = {
  __index = function(t, k)
    if k == '__jthrowable__' then return nil end -- luajava reads it after every failed call, unprotected
    error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
  end,
  __newindex = function(t, k, v) error('Attempt to modify a readonly table', 2) end,
  __metatable = false,
}
setmetatable(visible, protected_meta)
for k in pairs(globals) do globals[k] = nil end
rawset(visible, "_G", globals)
setmetatable(globals, proxy_meta)

-- FUNCTION LOAD: while a library's code runs, the globals are only `redis` with register_function, log and the
-- version (function_lua.c's library API); what it registers is handed back to Java.
local load_redis = {log = redis.log, LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REDIS_VERSION = redis.REDIS_VERSION, REDIS_VERSION_NUM = redis.REDIS_VERSION_NUM}
local load_env = {redis = load_redis}
local flag_names = {['no-writes'] = true, ['allow-oom'] = true, ['allow-stale'] = true, ['no-cluster'] = true,
  ['allow-cross-slot-keys'] = true}
local lower = string.lower
local registering

local function fail(msg)
  error(error_table(msg))
end

local function is_string(v)
  return type(v) == 'string' or type(v) == 'number'
end

function load_redis.register_function(...)
  if not registering then fail('redis.register_function can only be called on FUNCTION LOAD command') end
  local n = select('#', ...)
  if n < 1 or n > 2 then fail('wrong number of arguments to redis.register_function') end
  local name, callback, flags, description
  if n == 1 then
    local named = ...
    if type(named) ~= 'table' then
      fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).')
    end
    for k, v in pairs(named) do
      if not is_string(k) then fail('named argument key given to redis.register_function is not a string') end
      local key = lower(tostring(k))
      if key == 'function_name' then
        if not is_string(v) then fail('function_name argument given to redis.register_function must be a string') end
        name = tostring(v)
      elseif key == 'description' then
        if not is_string(v) then fail('description argument given to redis.register_function must be a string') end
        description = tostring(v)
      elseif key == 'callback' then
        if type(v) ~= 'function' then fail('callback argument given to redis.register_function must be a function') end
        callback = v
      elseif key == 'flags' then
        if type(v) ~= 'table' then
          fail('flags argument to redis.register_function must be a table representing function flags')
        end
        flags = {}
        for _, flag in pairs(v) do
          if not is_string(flag) or not flag_names[lower(tostring(flag))] then fail('unknown flag given') end
          flags[#flags + 1] = lower(tostring(flag))
        end
      else
        fail('unknown argument given to redis.register_function')
      end
    end
    if not name then fail('redis.register_function must get a function name argument') end
    if not callback then fail('redis.register_function must get a callback argument') end
  else
    local first, second = ...
    if not is_string(first) then fail('first argument to redis.register_function must be a string') end
    if type(second) ~= 'function' then fail('second argument to redis.register_function must be a function') end
    name, callback = tostring(first), second
  end
  -- Redis 7.0 checks a function's name with its library-name text.
  if not find(name, '^[%w_]+$') then
    fail('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long')
  end
  for _, f in ipairs(registering) do
    if f.name == name then fail('Function already exists in the library') end
  end
  registering[#registering + 1] = {name = name, callback = callback, flags = flags or {}, description = description}
end
setmetatable(load_redis, protected_meta)
setmetatable(load_env, protected_meta)

local function load_library(f)
  registering = {}
  proxy_meta.__index = load_env
  local ok, err = lua_pcall(f)
  proxy_meta.__index = visible
  local registered = registering
  registering = nil
  if not ok then return false, err end
  return true, registered
end

dbg.sethook(kill_hook, '', 100000)

-- What Java calls: sets KEYS and ARGV, runs a compiled script under the error handler.
local function run(f, keys, argv)
  rawset(visible, 'KEYS', keys)
  rawset(visible, 'ARGV', argv)
  return xpcall(f, err_handler)
end

-- FCALL: a function's callback with its keys and arguments, under the error handler.
local function run_function(callback, keys, args)
  return xpcall(function() return callback(keys, args) end, err_handler)
end

return run, decode, load_library, run_function
