-- The four libraries Redis 7.0 bundles into its Lua (deps/lua/src): cjson (lua-cjson 2.1.0), cmsgpack
-- (lua-cmsgpack 0.4.0), bit (LuaBitOp 1.0.2) and struct (Roberto Ierusalimschy's struct), written in Lua over
-- the real Lua 5.1 so that their bytes, numbers and error texts are those of the C originals on a 64-bit
-- little-endian machine. Loaded once per Lua state as the chunk "=[redis]" (its frames are skipped when an
-- error's position is taken). Each library function is wrapped by Java into a C function (`c_function`), so
-- that, as with Redis's C functions, it is a frame of its own even in a script's tail call: its name (for "bad
-- argument" texts) and its caller's line (luaL_where) are taken from that frame.
local c_function = ...
local type, tostring, tonumber, select, error, pairs, ipairs, next, rawget, setmetatable, getmetatable, unpack =
  type, tostring, tonumber, select, error, pairs, ipairs, next, rawget, setmetatable, getmetatable, unpack
local newproxy, insert = newproxy, table.insert
local floor, frexp, ldexp, huge = math.floor, math.frexp, math.ldexp, math.huge
local byte, char, sub, find, format, rep, gsub, lower, concat =
  string.byte, string.char, string.sub, string.find, string.format, string.rep, string.gsub, string.lower,
  table.concat
local getinfo = debug.getinfo

local C_STACK = 8000 -- LUAI_MAXCSTACK: what lua_checkstack allows a C function

------------------------------------------------------------------------------------------------------------
-- The C API's error texts
------------------------------------------------------------------------------------------------------------

-- Functions scripts call (the C wrappers, and the Lua functions of a cjson.new() instance): the frame whose
-- name and caller the error texts use.
local entries = setmetatable({}, {__mode = 'k'})

local function entry_level()
  local level = 3
  while true do
    local info = getinfo(level, 'f')
    if not info then return nil end
    if entries[info.func] then return level - 1 end -- as its caller counts
    level = level + 1
  end
end

-- luaL_where(L, 1): the position of the function that called the library function, when it is Lua code;
-- `level` counts from where's caller.
local function where(level)
  if not level then return '' end
  local info = getinfo(level + 2, 'Sl')
  if info and info.currentline > 0 then return info.short_src .. ':' .. info.currentline .. ': ' end
  return ''
end

-- luaL_error
local function raise(msg)
  error(where(entry_level()) .. msg, 0)
end

-- luaL_argerror
local function argerror(narg, extramsg)
  local level = entry_level()
  local info = level and getinfo(level, 'n') or {}
  if info.namewhat == 'method' then
    narg = narg - 1
    if narg == 0 then
      error(where(level) .. "calling '" .. tostring(info.name) .. "' on bad self (" .. extramsg .. ')', 0)
    end
  end
  error(where(level) .. 'bad argument #' .. narg .. " to '" .. (info.name or '?') .. "' (" .. extramsg .. ')', 0)
end

local function typename(n, ...)
  if n > select('#', ...) then return 'no value' end
  return type((select(n, ...)))
end

-- luaL_checknumber (strings that read as numbers count, as lua_tonumber reads them)
local function checknumber(narg, ...)
  local v = select(narg, ...)
  local n = tonumber(v)
  if n == nil or (type(v) ~= 'number' and type(v) ~= 'string') then
    argerror(narg, 'number expected, got ' .. typename(narg, ...))
  end
  return n
end

-- lua_Integer (64-bit ptrdiff_t) from a double, as the cast truncates; out of range: x86's 0x8000000000000000.
local function to_int64(n)
  if n ~= n or n >= 9223372036854775808 or n < -9223372036854775808 then return -9223372036854775808 end
  if n >= 0 then return floor(n) end
  return -floor(-n)
end

local function checkinteger(narg, ...)
  return to_int64(checknumber(narg, ...))
end

local function optinteger(narg, default, ...)
  local v = select(narg, ...)
  if v == nil then return default end
  return checkinteger(narg, ...)
end

-- luaL_checklstring: strings, and numbers as lua_tolstring prints them.
local function checkstring(narg, ...)
  local v = select(narg, ...)
  if type(v) == 'string' then return v end
  if type(v) == 'number' then return format('%.14g', v) end
  argerror(narg, 'string expected, got ' .. typename(narg, ...))
end

-- A C int from a lua_Integer: its low 32 bits, signed.
local function to_int32(n)
  n = n % 4294967296
  if n >= 2147483648 then return n - 4294967296 end
  return n
end

local function round_half_even(x)
  local r = floor(x)
  local d = x - r
  if d > 0.5 or (d == 0.5 and r % 2 == 1) then r = r + 1 end
  return r
end

------------------------------------------------------------------------------------------------------------
-- IEEE 754 bytes (little-endian order in the strings made here; callers reverse for big-endian)
------------------------------------------------------------------------------------------------------------

local function nan_is_negative(x)
  return find(format('%f', x), '-', 1, true) ~= nil
end

-- The bytes of an unsigned integer (0 <= n < 2^64, given as high and low 32-bit halves), little-endian.
local function le_bytes(hi, lo, size)
  local out = {}
  for i = 1, size do
    if i <= 4 then
      out[i] = lo % 256
      lo = floor(lo / 256)
    elseif i <= 8 then
      out[i] = hi % 256
      hi = floor(hi / 256)
    else
      out[i] = 0
    end
  end
  return char(unpack(out, 1, size))
end

-- d's IEEE 754 fields in a format of `fraction_bits` and `bias`, rounded to nearest even and overflowing to
-- infinity as C's (float) cast does: negative, the exponent field, the fraction as an integer.
local function ieee_fields(d, fraction_bits, bias)
  local max_exponent = 2 * bias + 1
  if d ~= d then return nan_is_negative(d), max_exponent, 2 ^ (fraction_bits - 1) end
  local negative = d < 0 or (d == 0 and 1 / d < 0)
  if negative then d = -d end
  if d == 0 then return negative, 0, 0 end
  if d == huge then return negative, max_exponent, 0 end
  local m, e = frexp(d) -- d = m * 2^e, 0.5 <= m < 1
  local exponent = e - 1
  if exponent < 1 - bias then
    -- subnormal; rounded up to 2^fraction_bits it is the smallest normal number
    local frac = round_half_even(ldexp(d, bias - 1 + fraction_bits))
    if frac == 2 ^ fraction_bits then return negative, 1, 0 end
    return negative, 0, frac
  end
  local mant = round_half_even(ldexp(m, fraction_bits + 1))
  if mant == 2 ^ (fraction_bits + 1) then mant = 2 ^ fraction_bits; exponent = exponent + 1 end
  if exponent > bias then return negative, max_exponent, 0 end
  return negative, exponent + bias, mant - 2 ^ fraction_bits
end

-- The number of IEEE 754 fields (max_exponent: infinities and NaNs).
local function ieee_value(negative, exponent, frac, fraction_bits, bias)
  local sign = negative and -1 or 1
  if exponent == 2 * bias + 1 then
    if frac == 0 then return sign * huge end
    local nan = -(0 / 0) -- 0/0 is the negative NaN on x86
    if negative then nan = -nan end
    return nan
  end
  if exponent == 0 then return sign * ldexp(frac, 1 - bias - fraction_bits) end
  return sign * ldexp(frac + 2 ^ fraction_bits, exponent - bias - fraction_bits)
end

-- (float)d's bits as a number.
local function float_bits(d)
  local negative, exponent, frac = ieee_fields(d, 23, 127)
  return (negative and 2147483648 or 0) + exponent * 8388608 + frac
end

local function float_from_bits(bits)
  local negative = bits >= 2147483648
  if negative then bits = bits - 2147483648 end
  return ieee_value(negative, floor(bits / 8388608), bits % 8388608, 23, 127)
end

-- A double's bits as high and low 32-bit halves.
local function double_bits(d)
  local negative, exponent, frac = ieee_fields(d, 52, 1023)
  local hi = floor(frac / 4294967296)
  return (negative and 2147483648 or 0) + exponent * 1048576 + hi, frac - hi * 4294967296
end

local function double_from_bits(hi, lo)
  local negative = hi >= 2147483648
  if negative then hi = hi - 2147483648 end
  return ieee_value(negative, floor(hi / 1048576), (hi % 1048576) * 4294967296 + lo, 52, 1023)
end

local function float_le(d)
  local bits = float_bits(d)
  return le_bytes(0, bits, 4)
end

local function double_le(d)
  local hi, lo = double_bits(d)
  return le_bytes(hi, lo, 8)
end

local function reverse(s)
  return s:reverse()
end

-- The value of little-endian bytes s[i..i+n-1] (n <= 4) as an unsigned number.
local function le_uint(s, i, n)
  local v = 0
  for k = i + n - 1, i, -1 do v = v * 256 + byte(s, k) end
  return v
end

------------------------------------------------------------------------------------------------------------
-- bit (LuaBitOp 1.0.2)
------------------------------------------------------------------------------------------------------------

-- Bitwise operations on 32-bit unsigned numbers, a nibble at a time.
local AND, OR, XOR = {}, {}, {}
for a = 0, 15 do
  for b = 0, 15 do
    local x, y, r_and, r_or, r_xor, bitv = a, b, 0, 0, 0, 1
    for _ = 1, 4 do
      local p, q = x % 2, y % 2
      if p == 1 and q == 1 then r_and = r_and + bitv end
      if p == 1 or q == 1 then r_or = r_or + bitv end
      if p ~= q then r_xor = r_xor + bitv end
      x, y, bitv = floor(x / 2), floor(y / 2), bitv * 2
    end
    AND[a * 16 + b], OR[a * 16 + b], XOR[a * 16 + b] = r_and, r_or, r_xor
  end
end

local function bitwise(op, a, b)
  local r, scale = 0, 1
  for _ = 1, 8 do
    local x, y = a % 16, b % 16
    r = r + op[x * 16 + y] * scale
    a, b, scale = (a - x) / 16, (b - y) / 16, scale * 16
  end
  return r
end

-- barg: the number's low 32 bits after adding 2^52 + 2^51 (the double's mantissa), as LuaBitOp reads them.
local function tobit_u(n)
  local s = n + 6755399441055744
  if s ~= s or s == huge or s == -huge then return 0 end
  if s < 0 then s = -s end
  local _, e = frexp(s)
  -- the mantissa as an integer: s scaled so that its 53 significant bits are its integer part
  local mant = ldexp(s, 53 - e)
  return mant % 4294967296
end

local function signed(u)
  if u >= 2147483648 then return u - 4294967296 end
  return u
end

local function barg(narg, ...)
  return tobit_u(checknumber(narg, ...))
end

local function shift_count(narg, ...)
  return barg(narg, ...) % 32
end

local function lshift_u(b, n)
  return (b * 2 ^ n) % 4294967296
end

local function rshift_u(b, n)
  return floor(b / 2 ^ n)
end

local bit = {}

function bit.tobit(...)
  return signed(barg(1, ...))
end

function bit.bnot(...)
  return signed(4294967295 - barg(1, ...))
end

local function fold(op)
  return function(...)
    local b = barg(1, ...)
    for i = select('#', ...), 2, -1 do b = bitwise(op, b, barg(i, ...)) end
    return signed(b)
  end
end
bit.band, bit.bor, bit.bxor = fold(AND), fold(OR), fold(XOR)

function bit.lshift(...)
  local b, n = barg(1, ...), shift_count(2, ...)
  return signed(lshift_u(b, n))
end

function bit.rshift(...)
  local b, n = barg(1, ...), shift_count(2, ...)
  return signed(rshift_u(b, n))
end

function bit.arshift(...)
  local b, n = barg(1, ...), shift_count(2, ...)
  return floor(signed(b) / 2 ^ n)
end

function bit.rol(...)
  local b, n = barg(1, ...), shift_count(2, ...)
  return signed(lshift_u(b, n) + rshift_u(b, (32 - n) % 32) * (n == 0 and 0 or 1))
end

function bit.ror(...)
  local b, n = barg(1, ...), shift_count(2, ...)
  return signed(rshift_u(b, n) + (n == 0 and 0 or lshift_u(b, 32 - n)))
end

function bit.bswap(...)
  local b = barg(1, ...)
  local b0, b1, b2, b3 = b % 256, floor(b / 256) % 256, floor(b / 65536) % 256, floor(b / 16777216)
  return signed(((b0 * 256 + b1) * 256 + b2) * 256 + b3)
end

function bit.tohex(...)
  local b = barg(1, ...)
  local n = 8
  if select('#', ...) >= 2 then n = signed(barg(2, ...)) end
  local digits = '0123456789abcdef'
  if n == -2147483648 then n = -2147483647 end -- Redis's fix: -n would overflow
  if n < 0 then n = -n; digits = '0123456789ABCDEF' end
  if n > 8 then n = 8 end
  local out = {}
  for i = n, 1, -1 do
    local d = b % 16
    out[i] = sub(digits, d + 1, d + 1)
    b = (b - d) / 16
  end
  return concat(out)
end

------------------------------------------------------------------------------------------------------------
-- struct (Roberto Ierusalimschy's struct, with Redis's limits)
------------------------------------------------------------------------------------------------------------

local MAXINTSIZE = 32
local MAXALIGN = 8
local LITTLE, BIG = 1, 0

local function isdigit(c)
  return c and c >= 48 and c <= 57
end

-- getnum: the number at fmt[i..] (or the default), and the index after it.
local function getnum(fmt, i, default)
  local c = byte(fmt, i)
  if not isdigit(c) then return default, i end
  local a = 0
  repeat
    if a > 214748364 or a * 10 > 2147483647 - (c - 48) then raise('integral size overflow') end
    a = a * 10 + c - 48
    i = i + 1
    c = byte(fmt, i)
  until not isdigit(c)
  return a, i
end

local sizes = {b = 1, B = 1, h = 2, H = 2, l = 8, L = 8, T = 8, f = 4, d = 8, x = 1}

local function optsize(opt, fmt, i)
  local size = sizes[opt]
  if size then return size, i end
  if opt == 'c' then return getnum(fmt, i, 1) end
  if opt == 'i' or opt == 'I' then
    local sz
    sz, i = getnum(fmt, i, 4)
    if sz > MAXINTSIZE then
      raise('integral size ' .. sz .. ' is larger than limit of ' .. MAXINTSIZE)
    end
    return sz, i
  end
  return 0, i
end

-- a & b for non-negative integers below 2^32
local function band_u(a, b)
  return bitwise(AND, a, b)
end

local function gettoalign(len, h, opt, size)
  if size == 0 or opt == 'c' then return 0 end
  if size > h.align then size = h.align end
  return band_u((size - band_u(len % 4294967296, size - 1)) % 4294967296, size - 1)
end

local function controloptions(opt, fmt, i, h)
  if opt == ' ' then return i end
  if opt == '>' then h.endian = BIG; return i end
  if opt == '<' then h.endian = LITTLE; return i end
  if opt == '!' then
    local a
    a, i = getnum(fmt, i, MAXALIGN)
    if not (a > 0 and band_u(a, a - 1) == 0) then raise('alignment ' .. a .. ' is not a power of 2') end
    h.align = a
    return i
  end
  argerror(1, "invalid format option '" .. opt .. "'")
end

-- The C code's walk over a format: an iterator of (option, size, control), raising the format's own errors where
-- the walk reaches them; control() reads an option that is not a value's (endianness, alignment, space).
local function walk(fmt, h)
  local i, opt = 1, nil
  local function control()
    i = controloptions(opt, fmt, i, h)
  end
  return function()
    if i > #fmt then return nil end
    opt = sub(fmt, i, i)
    i = i + 1
    local size
    size, i = optsize(opt, fmt, i)
    return opt, size, control
  end
end

local integer_options = {b = true, B = true, h = true, H = true, l = true, L = true, T = true, i = true, I = true}

-- The format up to its first NUL, as C reads it.
local function cformat(fmt)
  local z = find(fmt, '\0', 1, true)
  if z then return sub(fmt, 1, z - 1) end
  return fmt
end

local function putinteger(n, endian, size)
  -- (Uinttype)(Inttype)n below zero, (Uinttype)n from zero: x86-64's conversions, out of range included
  local hi, lo
  if n ~= n then
    hi, lo = 2147483648, 0
  elseif n < 0 then
    local v = to_int64(n)
    if v == -9223372036854775808 then
      hi, lo = 2147483648, 0
    else
      hi = floor(v / 4294967296)
      lo = v - hi * 4294967296
      hi = hi + 4294967296
    end
  elseif n >= 18446744073709551616 then
    hi, lo = 0, 0
  else
    n = floor(n)
    hi = floor(n / 4294967296)
    lo = n - hi * 4294967296
  end
  local s = le_bytes(hi, lo, size)
  if endian == BIG then s = reverse(s) end
  return s
end

local struct = {}

-- struct.pack's C code pushes a nil after its arguments: the first missing one is "got nil".
local function pack_arg(arg, nargs, expected)
  if arg > nargs then argerror(arg, expected .. ' expected, got nil') end
end

function struct.pack(...)
  local fmt = cformat(checkstring(1, ...))
  local nargs = select('#', ...)
  local h = {endian = LITTLE, align = 1}
  local arg = 2
  local total = 0
  local out = {}
  for opt, size, control in walk(fmt, h) do
    local toalign = gettoalign(total, h, opt, size)
    total = total + toalign
    if toalign > 0 then out[#out + 1] = rep('\0', toalign) end
    if integer_options[opt] then
      pack_arg(arg, nargs, 'number')
      out[#out + 1] = putinteger(checknumber(arg, ...), h.endian, size)
      arg = arg + 1
    elseif opt == 'x' then
      out[#out + 1] = '\0'
    elseif opt == 'f' or opt == 'd' then
      pack_arg(arg, nargs, 'number')
      local v = checknumber(arg, ...)
      arg = arg + 1
      local s = opt == 'f' and float_le(v) or double_le(v)
      if h.endian == BIG then s = reverse(s) end
      out[#out + 1] = s
    elseif opt == 'c' or opt == 's' then
      pack_arg(arg, nargs, 'string')
      local s = checkstring(arg, ...)
      arg = arg + 1
      local l = #s
      if size == 0 then size = l end
      -- Redis's struct names the argument after the string: its counter has moved on
      if l < size then argerror(arg, 'string too short') end
      out[#out + 1] = sub(s, 1, size)
      if opt == 's' then
        out[#out + 1] = '\0'
        size = size + 1
      end
    else
      control()
    end
    total = total + size
  end
  return concat(out)
end

local function getinteger(data, pos, endian, issigned, size)
  -- Uinttype accumulates the bytes from the most significant: only the last 8 stay
  local bytes = {byte(data, pos + 1, pos + size)}
  if endian == LITTLE then
    local r = {}
    for k = 1, size do r[k] = bytes[size + 1 - k] end
    bytes = r
  end
  local hi, lo = 0, 0
  for k = 1, size do
    hi = (hi % 16777216) * 256 + floor(lo / 16777216)
    lo = (lo % 16777216) * 256 + bytes[k]
  end
  if not issigned then return hi * 4294967296 + lo end
  -- the mask ~0 << (size*8 - 1): x86 shifts by the count modulo 64
  local shift = (size * 8 - 1) % 64
  local negative
  if shift >= 32 then
    negative = hi >= 2 ^ (shift - 32)
    if negative then hi = hi % 2 ^ (shift - 32) + (4294967296 - 2 ^ (shift - 32)) end
  else
    negative = hi > 0 or lo >= 2 ^ shift
    if negative then
      hi = 4294967295
      lo = lo % 2 ^ shift + (4294967296 - 2 ^ shift)
    end
  end
  if hi >= 2147483648 then return (hi - 4294967296) * 4294967296 + lo end
  return hi * 4294967296 + lo
end

function struct.unpack(...)
  local fmt = cformat(checkstring(1, ...))
  local data = checkstring(2, ...)
  local nargs = select('#', ...)
  local ld = #data
  -- a size_t: only 0 is refused; a negative offset is a huge position, too far for any option
  local offset = optinteger(3, 1, ...)
  if offset == 0 then argerror(3, 'offset must be 1 or greater') end
  local pos = offset - 1
  local h = {endian = LITTLE, align = 1}
  local results, n = {}, 0
  for opt, size, control in walk(fmt, h) do
    pos = pos + gettoalign(pos, h, opt, size)
    if not (size <= ld and pos >= 0 and pos <= ld - size) then argerror(2, 'data string too short') end
    if nargs + n + 2 > C_STACK then raise('stack overflow (too many results)') end
    if integer_options[opt] then
      n = n + 1
      results[n] = getinteger(data, pos, h.endian, opt == lower(opt), size)
    elseif opt == 'x' then
      -- padding
    elseif opt == 'f' then
      local s = sub(data, pos + 1, pos + 4)
      if h.endian == BIG then s = reverse(s) end
      n = n + 1
      results[n] = float_from_bits(le_uint(s, 1, 4))
    elseif opt == 'd' then
      local s = sub(data, pos + 1, pos + 8)
      if h.endian == BIG then s = reverse(s) end
      n = n + 1
      results[n] = double_from_bits(le_uint(s, 5, 4), le_uint(s, 1, 4))
    elseif opt == 'c' then
      if size == 0 then
        if n == 0 or tonumber(results[n]) == nil then raise("format 'c0' needs a previous size") end
        size = to_int64(tonumber(results[n]))
        if size < 0 then size = size + 18446744073709551616 end
        n = n - 1
        if not (size <= ld and pos >= 0 and pos <= ld - size) then argerror(2, 'data string too short') end
      end
      n = n + 1
      results[n] = sub(data, pos + 1, pos + size)
    elseif opt == 's' then
      local z = find(data, '\0', pos + 1, true)
      if not z then raise('unfinished string in data') end
      size = z - pos
      n = n + 1
      results[n] = sub(data, pos + 1, z - 1)
    else
      control()
    end
    pos = pos + size
  end
  n = n + 1
  results[n] = pos + 1
  return results, n
end

function struct.size(...)
  local fmt = cformat(checkstring(1, ...))
  local h = {endian = LITTLE, align = 1}
  local pos = 0
  for opt, size, control in walk(fmt, h) do
    pos = pos + gettoalign(pos, h, opt, size)
    if opt == 's' then
      argerror(1, "option 's' has no fixed size")
    elseif opt == 'c' and size == 0 then
      argerror(1, "option 'c0' has no fixed size")
    end
    if not find(opt, '%w') then control() end
    pos = pos + size
  end
  return pos
end

------------------------------------------------------------------------------------------------------------
-- cmsgpack (lua-cmsgpack 0.4.0)
------------------------------------------------------------------------------------------------------------

local MAX_NESTING = 16

local function be_uint(n, size)
  local out = {}
  for k = size, 1, -1 do
    out[k] = n % 256
    n = floor(n / 256)
  end
  return char(unpack(out, 1, size))
end

local function mp_int(n)
  if n >= 0 then
    if n <= 127 then return char(n) end
    if n <= 0xff then return '\204' .. char(n) end
    if n <= 0xffff then return '\205' .. be_uint(n, 2) end
    if n <= 0xffffffff then return '\206' .. be_uint(n, 4) end
    local hi = floor(n / 4294967296)
    return '\207' .. be_uint(hi, 4) .. be_uint(n - hi * 4294967296, 4)
  end
  if n >= -32 then return char(256 + n) end
  if n >= -128 then return '\208' .. char(256 + n) end
  if n >= -32768 then return '\209' .. be_uint(65536 + n, 2) end
  if n >= -2147483648 then return '\210' .. be_uint(4294967296 + n, 4) end
  local hi = floor(n / 4294967296)
  local lo = n - hi * 4294967296
  return '\211' .. be_uint(hi + 4294967296, 4) .. be_uint(lo, 4)
end

local function mp_number(n)
  -- IS_INT64_EQUIVALENT: (int64_t)n == n, and not infinite
  if n == n and n >= -9223372036854775808 and n < 9223372036854775808 and floor(n) == n then
    return mp_int(n == 0 and 0 or n)
  end
  local bits = float_bits(n)
  if n == float_from_bits(bits) then
    return '\202' .. be_uint(bits, 4)
  end
  local hi, lo = double_bits(n)
  return '\203' .. be_uint(hi, 4) .. be_uint(lo, 4)
end

local function mp_bytes(s)
  local len = #s
  if len < 32 then return char(0xa0 + len) .. s end
  if len <= 0xff then return '\217' .. char(len) .. s end
  if len <= 0xffff then return '\218' .. be_uint(len, 2) .. s end
  return '\219' .. be_uint(len, 4) .. s
end

local function mp_header(n, fix, b16, b32)
  if n <= 15 then return char(fix + n) end
  if n <= 65535 then return char(b16) .. be_uint(n, 2) end
  return char(b32) .. be_uint(n, 4)
end

-- table_is_an_array: keys 1..N exactly (as C ints).
local function is_array(t)
  local count, max = 0, 0
  for k in next, t do
    if type(k) ~= 'number' or k <= 0 or k ~= k or k == huge or floor(k) ~= k or k >= 2147483648 then
      return false
    end
    if k > max then max = k end
    count = count + 1
  end
  return max == count
end

local mp_encode

local function mp_table(t, level, out)
  if is_array(t) then
    local len = #t
    out[#out + 1] = mp_header(len, 0x90, 0xdc, 0xdd)
    for j = 1, len do mp_encode(t[j], level + 1, out) end
  else
    local len = 0
    for _ in next, t do len = len + 1 end
    out[#out + 1] = mp_header(len, 0x80, 0xde, 0xdf)
    for k, v in next, t do
      mp_encode(k, level + 1, out)
      mp_encode(v, level + 1, out)
    end
  end
end

mp_encode = function(v, level, out)
  local t = type(v)
  if t == 'table' and level == MAX_NESTING then t = 'nil' end
  if t == 'string' then
    out[#out + 1] = mp_bytes(v)
  elseif t == 'boolean' then
    out[#out + 1] = v and '\195' or '\194'
  elseif t == 'number' then
    out[#out + 1] = mp_number(v)
  elseif t == 'table' then
    mp_table(v, level, out)
  else
    out[#out + 1] = '\192'
  end
end

local cmsgpack = {_NAME = 'cmsgpack', _VERSION = 'lua-cmsgpack 0.4.0',
  _COPYRIGHT = 'Copyright (C) 2012, Salvatore Sanfilippo', _DESCRIPTION = 'MessagePack C implementation for Lua'}

function cmsgpack.pack(...)
  local nargs = select('#', ...)
  if nargs == 0 then argerror(0, 'MessagePack pack needs input.') end
  local out = {}
  for i = 1, nargs do mp_encode((select(i, ...)), 0, out) end
  return concat(out)
end

-- Decoding: a cursor over the string; `slots` counts what the C code would hold on its Lua stack, for
-- lua_checkstack's limit.
local EOF, BADFMT = 1, 2

local function be_at(s, p, n)
  local v = 0
  for k = p, p + n - 1 do v = v * 256 + byte(s, k) end
  return v
end

local mp_decode

local function decode_array(c, len, slots)
  local t = {}
  if slots + 1 + 1 > C_STACK then raise('stack overflow (in function mp_decode_to_lua_array)') end
  for index = 1, len do
    local v = mp_decode(c, slots + 2)
    if c.err then return t end
    t[index] = v
  end
  return t
end

local function decode_hash(c, len, slots)
  local t = {}
  for _ = 1, len do
    local k = mp_decode(c, slots + 1)
    if c.err then return t end
    local v = mp_decode(c, slots + 2)
    if c.err then return t end
    -- lua_settable's own errors, raised in C code: no position
    if k == nil then error('table index is nil', 0) end
    if k ~= k then error('table index is NaN', 0) end
    t[k] = v
  end
  return t
end

-- uint 8/16/32 and int 8/16/32: their byte count and whether signed
local mp_ints = {[0xcc] = {1, false}, [0xd0] = {1, true}, [0xcd] = {2, false}, [0xd1] = {2, true},
  [0xce] = {4, false}, [0xd2] = {4, true}}
-- raw 8/16/32: their length's byte count
local mp_raws = {[0xd9] = 1, [0xda] = 2, [0xdb] = 4}

-- One value at the cursor (c.s, c.p, c.n: the string, the next byte's index, the index after the last byte).
mp_decode = function(c, slots)
  local s, p = c.s, c.p
  local left = c.n - p
  if left < 1 then c.err = EOF; return end
  if slots + 1 > C_STACK then
    raise('stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)')
  end
  local b = byte(s, p)
  local function need(n)
    if left < n then c.err = EOF; return false end
    return true
  end
  local int = mp_ints[b]
  if int then
    local n = int[1]
    if not need(1 + n) then return end
    c.p = p + 1 + n
    local v = be_at(s, p + 1, n)
    if int[2] and v >= 2 ^ (8 * n - 1) then v = v - 2 ^ (8 * n) end
    return v
  elseif b == 0xcf or b == 0xd3 then
    -- both pushed through an int64: an unsigned value above 2^63 wraps negative
    if not need(9) then return end
    c.p = p + 9
    local hi, lo = be_at(s, p + 1, 4), be_at(s, p + 5, 4)
    if hi >= 2147483648 then return (hi - 4294967296) * 4294967296 + lo end
    return hi * 4294967296 + lo
  elseif b == 0xc0 then
    c.p = p + 1
    return nil
  elseif b == 0xc3 then
    c.p = p + 1
    return true
  elseif b == 0xc2 then
    c.p = p + 1
    return false
  elseif b == 0xca then
    if not need(5) then return end
    c.p = p + 5
    return float_from_bits(be_at(s, p + 1, 4))
  elseif b == 0xcb then
    if not need(9) then return end
    c.p = p + 9
    return double_from_bits(be_at(s, p + 1, 4), be_at(s, p + 5, 4))
  elseif mp_raws[b] then
    local n = mp_raws[b]
    if not need(1 + n) then return end
    local l = be_at(s, p + 1, n)
    if not need(1 + n + l) then return end
    c.p = p + 1 + n + l
    return sub(s, p + 1 + n, p + n + l)
  elseif b >= 0xdc and b <= 0xdf then
    -- array 16, array 32, map 16, map 32
    local n = (b == 0xdc or b == 0xde) and 2 or 4
    if not need(1 + n) then return end
    c.p = p + 1 + n
    local l = be_at(s, p + 1, n)
    if b <= 0xdd then return decode_array(c, l, slots) end
    return decode_hash(c, l, slots)
  elseif b < 0x80 then
    c.p = p + 1
    return b
  elseif b >= 0xe0 then
    c.p = p + 1
    return b - 256
  elseif b >= 0xa0 and b < 0xc0 then
    local l = b - 0xa0
    if not need(1 + l) then return end
    c.p = p + 1 + l
    return sub(s, p + 1, p + l)
  elseif b >= 0x90 and b < 0xa0 then
    c.p = p + 1
    return decode_array(c, b - 0x90, slots)
  elseif b >= 0x80 and b < 0x90 then
    c.p = p + 1
    return decode_hash(c, b - 0x80, slots)
  end
  c.err = BADFMT
end

local function unpack_full(s, limit, offset, base)
  local len = #s
  local decode_all = limit == 0 and offset == 0
  if offset < 0 or limit < 0 then
    raise('Invalid request to unpack with offset of ' .. to_int32(offset) .. ' and limit of ' .. to_int32(len) .. '.')
  elseif offset > len then
    raise('Start offset ' .. to_int32(offset) .. ' greater than input length ' .. to_int32(len) .. '.')
  end
  if decode_all then limit = 2147483647 end
  local c = {s = s, p = offset + 1, n = len + 1}
  local results, cnt = {}, 0
  while c.n - c.p > 0 and cnt < limit do
    local v = mp_decode(c, base + cnt)
    if c.err == EOF then raise('Missing bytes in input.') end
    if c.err == BADFMT then raise('Bad data format in input.') end
    cnt = cnt + 1
    results[cnt] = v
  end
  if not decode_all then
    local left = c.n - c.p
    insert(results, 1, left == 0 and -1 or len - left)
    cnt = cnt + 1
  end
  return results, cnt
end

function cmsgpack.unpack(...)
  return unpack_full(checkstring(1, ...), 0, 0, select('#', ...))
end

function cmsgpack.unpack_one(...)
  local offset = optinteger(2, 0, ...)
  return unpack_full(checkstring(1, ...), 1, offset, 1)
end

function cmsgpack.unpack_limit(...)
  local limit = checkinteger(2, ...)
  local offset = optinteger(3, 0, ...)
  return unpack_full(checkstring(1, ...), limit, offset, 1)
end

------------------------------------------------------------------------------------------------------------
-- cjson (lua-cjson 2.1.0)
------------------------------------------------------------------------------------------------------------

-- cjson.null: a NULL light userdata in C; here one userdata that prints as one.
local json_null = newproxy(true)
getmetatable(json_null).__tostring = function() return 'userdata: (nil)' end
getmetatable(json_null).__metatable = false

local escapes = {}
for i = 0, 31 do escapes[char(i)] = format('\\u%04x', i) end
escapes['\b'], escapes['\t'], escapes['\n'], escapes['\f'], escapes['\r'] = '\\b', '\\t', '\\n', '\\f', '\\r'
escapes['"'], escapes['\\'], escapes['/'], escapes['\127'] = '\\"', '\\\\', '\\/', '\\u007f'

local function json_string(s)
  return '"' .. gsub(s, '[%z\1-\31"\\/\127]', escapes) .. '"'
end

local token_names = {'T_OBJ_BEGIN', 'T_OBJ_END', 'T_ARR_BEGIN', 'T_ARR_END', 'T_STRING', 'T_NUMBER',
  'T_BOOLEAN', 'T_NULL', 'T_COLON', 'T_COMMA', 'T_END', 'T_WHITESPACE', 'T_ERROR', 'T_UNKNOWN'}
local T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END, T_STRING, T_NUMBER, T_BOOLEAN, T_NULL, T_COLON, T_COMMA,
  T_END, T_ERROR = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13
local single = {[123] = T_OBJ_BEGIN, [125] = T_OBJ_END, [91] = T_ARR_BEGIN, [93] = T_ARR_END, [44] = T_COMMA,
  [58] = T_COLON}
local unescape = {[34] = '"', [92] = '\\', [47] = '/', [98] = '\b', [116] = '\t', [110] = '\n', [102] = '\f',
  [114] = '\r'}

-- strtod's prefix at s[i..]: its length (0: no number) and its value.
local function strtod(s, i)
  local j = i
  local c = byte(s, j)
  local negative = false
  if c == 43 or c == 45 then negative = c == 45; j = j + 1 end
  local rest = lower(sub(s, j, j + 7))
  if sub(rest, 1, 8) == 'infinity' then return j + 8 - i, negative and -huge or huge end
  if sub(rest, 1, 3) == 'inf' then return j + 3 - i, negative and -huge or huge end
  if sub(rest, 1, 3) == 'nan' then
    local e = j + 3
    local close = find(s, '^%([%w_]*%)', e)
    if close then e = select(2, find(s, '^%([%w_]*%)', e)) + 1 end
    local nan = -(0 / 0)
    if negative then nan = -nan end
    return e - i, nan
  end
  if sub(rest, 1, 2) == '0x' then
    local _, e1 = find(s, '^%x*', j + 2)
    local int_end = e1
    local frac = ''
    local k = e1 + 1
    if byte(s, k) == 46 then
      local _, e2 = find(s, '^%x*', k + 1)
      frac = sub(s, k + 1, e2)
      k = e2 + 1
    else
      k = e1 + 1
    end
    local digits = sub(s, j + 2, int_end)
    if #digits + #frac == 0 then return j + 1 - i, negative and -0.0 or 0 end
    local v = 0
    for d in (digits .. frac):gmatch('%x') do v = v * 16 + tonumber(d, 16) end
    local exp = -4 * #frac
    local last = k - 1
    local _, pe = find(s, '^[pP][+-]?%d+', k)
    if pe then
      exp = exp + tonumber((gsub(sub(s, k + 1, pe), '^%+', '')))
      last = pe
    end
    v = ldexp(v, exp)
    return last + 1 - i, negative and -v or v
  end
  local _, e = find(s, '^%d*', j)
  local int_digits = e - j + 1
  local k = e + 1
  local frac_digits = 0
  if byte(s, k) == 46 then
    local _, e2 = find(s, '^%d*', k + 1)
    frac_digits = e2 - k
    k = e2 + 1
  end
  if int_digits + frac_digits == 0 then return 0 end
  local _, pe = find(s, '^[eE][+-]?%d+', k)
  if pe then k = pe + 1 end
  local text = sub(s, i, k - 1)
  return k - i, tonumber(text)
end

-- json_is_invalid_number
local function invalid_number(s, p)
  local c = byte(s, p)
  if c == 43 then return true end
  if c == 45 then p = p + 1; c = byte(s, p) end
  if c == 48 then
    local c2 = byte(s, p + 1) or 0
    return c2 == 120 or c2 == 88 or (c2 >= 48 and c2 <= 57)
  elseif c == nil or c <= 57 then
    return false
  end
  local three = lower(sub(s, p, p + 2))
  return three == 'inf' or three == 'nan'
end

local function new_cjson()
  local cfg = {sparse_convert = 0, sparse_ratio = 2, sparse_safe = 10, encode_max_depth = 1000,
    decode_max_depth = 1000, encode_invalid_numbers = 0, decode_invalid_numbers = 1, keep_buffer = 1,
    precision = 14}
  local number_format = '%.14g'

  local function encode_error(value, reason)
    raise('Cannot serialise ' .. type(value) .. ': ' .. reason)
  end

  local function json_number(n)
    if cfg.encode_invalid_numbers == 0 then
      if n == huge or n == -huge or n ~= n then encode_error(n, 'must not be NaN or Inf') end
    elseif cfg.encode_invalid_numbers == 1 then
      if n ~= n then return 'nan' end
    elseif n == huge or n == -huge or n ~= n then
      return 'null'
    end
    return format(number_format, n)
  end

  -- lua_array_length: the array's size, or -1 for an object
  local function array_length(t)
    local max, items = 0, 0
    for k in next, t do
      if type(k) == 'number' and k ~= 0 and floor(k) == k and k >= 1 then
        if k > max then max = k < 2147483648 and k or -2147483648 end
        items = items + 1
      else
        return -1
      end
    end
    if cfg.sparse_ratio > 0 and max > to_int32(items * cfg.sparse_ratio) and max > cfg.sparse_safe then
      if cfg.sparse_convert == 0 then encode_error(t, 'excessively sparse array') end
      return -1
    end
    return max
  end

  local append

  local function append_table(t, depth, slots, out)
    depth = depth + 1
    if depth > cfg.encode_max_depth or slots + 3 > C_STACK then
      raise('Cannot serialise, excessive nesting (' .. depth .. ')')
    end
    local len = array_length(t)
    if len > 0 then
      out[#out + 1] = '['
      for i = 1, len do
        if i > 1 then out[#out + 1] = ',' end
        append(rawget(t, i), depth, slots + 1, out)
      end
      out[#out + 1] = ']'
    else
      out[#out + 1] = '{'
      local comma = false
      for k, v in next, t do
        if comma then out[#out + 1] = ',' else comma = true end
        local kt = type(k)
        if kt == 'number' then
          out[#out + 1] = '"' .. json_number(k) .. '":'
        elseif kt == 'string' then
          out[#out + 1] = json_string(k) .. ':'
        else
          encode_error(k, 'table key must be a number or string')
        end
        append(v, depth, slots + 2, out)
      end
      out[#out + 1] = '}'
    end
  end

  append = function(v, depth, slots, out)
    local t = type(v)
    if t == 'string' then
      out[#out + 1] = json_string(v)
    elseif t == 'number' then
      out[#out + 1] = json_number(v)
    elseif t == 'boolean' then
      out[#out + 1] = v and 'true' or 'false'
    elseif t == 'table' then
      append_table(v, depth, slots, out)
    elseif v == nil or v == json_null then
      out[#out + 1] = 'null'
    else
      encode_error(v, 'type not supported')
    end
  end

  local json = {}

  function json.encode(...)
    if select('#', ...) ~= 1 then argerror(1, 'expected 1 argument') end
    local out = {}
    append((...), 0, 1, out)
    return concat(out)
  end

  -- Decoding: p is the 1-based index of the next byte of s (s ends at its first NUL, as C reads it).
  local function decode(s)
    local p = 1
    local n = #s
    local depth = 0

    local function parse_error(expected, ttype, tvalue, tindex)
      local found = ttype == T_ERROR and tvalue or token_names[ttype]
      raise('Expected ' .. expected .. ' but found ' .. found .. ' at character ' .. tindex)
    end

    local function string_token(start)
      local parts = {}
      p = p + 1
      while true do
        local q = find(s, '["\\]', p)
        if not q then
          parts[#parts + 1] = sub(s, p)
          p = n + 1
          return T_ERROR, 'unexpected end of string', p
        end
        if q > p then parts[#parts + 1] = sub(s, p, q - 1) end
        p = q
        if byte(s, q) == 34 then
          p = q + 1
          return T_STRING, concat(parts), start
        end
        local e = byte(s, q + 1)
        if e == 117 then
          local cp = tonumber(sub(s, q + 2, q + 5), 16)
          local len = 6
          local ok = cp and find(sub(s, q + 2, q + 5), '^%x%x%x%x$')
          if ok and cp >= 0xD800 and cp < 0xE000 then
            if cp >= 0xDC00 or sub(s, q + 6, q + 7) ~= '\\u' then
              ok = false
            else
              local low_text = sub(s, q + 8, q + 11)
              local low = find(low_text, '^%x%x%x%x$') and tonumber(low_text, 16)
              if not low or low < 0xDC00 or low >= 0xE000 then
                ok = false
              else
                cp = (cp - 0xD800) * 1024 + (low - 0xDC00) + 0x10000
                len = 12
              end
            end
          end
          if not ok then return T_ERROR, 'invalid unicode escape code', q end
          if cp <= 0x7F then
            parts[#parts + 1] = char(cp)
          elseif cp <= 0x7FF then
            parts[#parts + 1] = char(0xC0 + floor(cp / 64), 0x80 + cp % 64)
          elseif cp <= 0xFFFF then
            parts[#parts + 1] = char(0xE0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
          else
            parts[#parts + 1] = char(0xF0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64,
              0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
          end
          p = q + len
        else
          local ch = e and unescape[e]
          if not ch then return T_ERROR, 'invalid escape code', q end
          parts[#parts + 1] = ch
          p = q + 2
        end
      end
    end

    local function number_token(start)
      local len, value = strtod(s, p)
      if len == 0 then return T_ERROR, 'invalid number', start end
      p = p + len
      return T_NUMBER, value, start
    end

    -- The next token: its type, value and 1-based index.
    local function next_token()
      local _, e = find(s, '^[ \t\n\r]*', p)
      p = e + 1
      local c = byte(s, p)
      if c == nil then return T_END, nil, p end
      local t = single[c]
      if t then
        p = p + 1
        return t, nil, p - 1
      end
      local start = p
      if c == 34 then return string_token(start) end
      if c == 45 or (c >= 48 and c <= 57) then
        if cfg.decode_invalid_numbers == 0 and invalid_number(s, p) then return T_ERROR, 'invalid number', start end
        return number_token(start)
      end
      if c == 102 or c == 105 or c == 73 or c == 110 or c == 78 or c == 116 or c == 43 then
        if sub(s, p, p + 3) == 'true' then
          p = p + 4
          return T_BOOLEAN, true, start
        elseif sub(s, p, p + 4) == 'false' then
          p = p + 5
          return T_BOOLEAN, false, start
        elseif sub(s, p, p + 3) == 'null' then
          p = p + 4
          return T_NULL, nil, start
        elseif cfg.decode_invalid_numbers ~= 0 and invalid_number(s, p) then
          return number_token(start)
        end
      end
      return T_ERROR, 'invalid token', start
    end

    local process_value

    local function descend(slots)
      depth = depth + 1
      if depth > cfg.decode_max_depth or slots > C_STACK then
        raise('Found too many nested data structures (' .. depth .. ') at character ' .. (p - 1))
      end
    end

    -- An object's or an array's members (json_parse_object_context, json_parse_array_context).
    local function parse_container(object, slots)
      descend(slots + (object and 3 or 2))
      local t = {}
      local close = object and T_OBJ_END or T_ARR_END
      local tt, tv, ti = next_token()
      local i = 1
      while tt ~= close do
        local key = i
        if object then
          if tt ~= T_STRING then parse_error('object key string', tt, tv, ti) end
          key = tv
          tt, tv, ti = next_token()
          if tt ~= T_COLON then parse_error('colon', tt, tv, ti) end
          tt, tv, ti = next_token()
        end
        t[key] = process_value(tt, tv, ti, slots + (object and 2 or 1))
        i = i + 1
        tt, tv, ti = next_token()
        if tt == close then break end
        if tt ~= T_COMMA then parse_error(object and 'comma or object end' or 'comma or array end', tt, tv, ti) end
        -- after a comma a member must follow: the closing token is then "found" where a key or value is expected
        tt, tv, ti = next_token()
        if tt == close then
          if object then parse_error('object key string', tt, tv, ti) end
          parse_error('value', tt, tv, ti)
        end
      end
      depth = depth - 1
      return t
    end

    process_value = function(tt, tv, ti, slots)
      if tt == T_STRING or tt == T_NUMBER or tt == T_BOOLEAN then return tv end
      if tt == T_OBJ_BEGIN then return parse_container(true, slots) end
      if tt == T_ARR_BEGIN then return parse_container(false, slots) end
      if tt == T_NULL then return json_null end
      parse_error('value', tt, tv, ti)
    end

    local tt0, tv0, ti0 = next_token()
    local value = process_value(tt0, tv0, ti0, 1)
    local tt, tv, ti = next_token()
    if tt ~= T_END then parse_error('the end', tt, tv, ti) end
    return value
  end

  function json.decode(...)
    if select('#', ...) ~= 1 then argerror(1, 'expected 1 argument') end
    local s = checkstring(1, ...)
    if #s >= 2 and (byte(s, 1) == 0 or byte(s, 2) == 0) then raise('JSON parser does not support UTF-16 or UTF-32') end
    local z = find(s, '\0', 1, true)
    if z then s = sub(s, 1, z - 1) end
    return decode(s)
  end

  -- The configuration functions (json_arg_init, json_integer_option, json_enum_option).
  local function arg_init(count, ...)
    if select('#', ...) > count then argerror(count + 1, 'found too many arguments') end
  end

  local function integer_option(index, key, min, max, ...)
    if select(index, ...) ~= nil then
      local value = to_int32(checkinteger(index, ...))
      if not (min <= value and value <= max) then
        argerror(1, 'expected integer between ' .. min .. ' and ' .. max)
      end
      cfg[key] = value
    end
    return cfg[key]
  end

  local bool_options = {'off', 'on'}

  local function enum_option(index, key, options, ...)
    local v = select(index, ...)
    if v ~= nil then
      if type(v) == 'boolean' then
        cfg[key] = v and 1 or 0
      else
        local name = checkstring(index, ...)
        local found
        for i, option in ipairs(options) do
          if option == name then found = i - 1 end
        end
        if not found then argerror(index, "invalid option '" .. name .. "'") end
        cfg[key] = found
      end
    end
    local setting = cfg[key]
    if setting == 0 or setting == 1 then return setting == 1 end
    return options[setting + 1]
  end

  function json.encode_sparse_array(...)
    arg_init(3, ...)
    return enum_option(1, 'sparse_convert', bool_options, ...),
      integer_option(2, 'sparse_ratio', 0, 2147483647, ...),
      integer_option(3, 'sparse_safe', 0, 2147483647, ...)
  end

  function json.encode_max_depth(...)
    arg_init(1, ...)
    return integer_option(1, 'encode_max_depth', 1, 2147483647, ...)
  end

  function json.decode_max_depth(...)
    arg_init(1, ...)
    return integer_option(1, 'decode_max_depth', 1, 2147483647, ...)
  end

  function json.encode_number_precision(...)
    arg_init(1, ...)
    local precision = integer_option(1, 'precision', 1, 14, ...)
    number_format = '%.' .. precision .. 'g'
    return precision
  end

  function json.encode_keep_buffer(...)
    arg_init(1, ...)
    return enum_option(1, 'keep_buffer', bool_options, ...)
  end

  function json.encode_invalid_numbers(...)
    arg_init(1, ...)
    return enum_option(1, 'encode_invalid_numbers', {'off', 'on', 'null'}, ...)
  end

  function json.decode_invalid_numbers(...)
    arg_init(1, ...)
    return enum_option(1, 'decode_invalid_numbers', bool_options, ...)
  end

  json.new = new_cjson
  json.null = json_null
  json._NAME = 'cjson'
  json._VERSION = '2.1.0'
  for _, f in pairs(json) do
    if type(f) == 'function' then entries[f] = true end
  end
  return json
end

------------------------------------------------------------------------------------------------------------
-- The libraries as scripts see them
------------------------------------------------------------------------------------------------------------

-- Functions that return (results table, count) give their results as a list.
local spread = {[cmsgpack.unpack] = true, [cmsgpack.unpack_one] = true, [cmsgpack.unpack_limit] = true,
  [struct.unpack] = true}

local function wrapped(lib)
  local out = {}
  for k, v in pairs(lib) do
    if type(v) == 'function' then
      entries[v] = nil -- the wrapper is the entry now
      v = c_function(v, spread[v] or false)
      entries[v] = true
    end
    out[k] = v
  end
  return out
end

-- Read-only as Redis's protected globals: scripts see a proxy that refuses writes; pairs and next see
-- through it.
local behind = setmetatable({}, {__mode = 'k'})

local proxies = {} -- a library table -> its proxy

local function readonly(lib)
  if proxies[lib] then return proxies[lib] end
  local proxy = setmetatable({}, {
    __index = lib,
    __newindex = function() error('Attempt to modify a readonly table', 2) end,
    __metatable = false,
  })
  behind[proxy] = lib
  proxies[lib] = proxy
  return proxy
end

-- The globals table scripts see (set by install): read-only too, its metatable out of reach.
local globals

local function see_through_next(...)
  local t, k = ...
  if type(t) ~= 'table' then argerror(1, 'table expected, got ' .. typename(1, ...)) end
  return next(behind[t] or t, k)
end

local function see_through_pairs(...)
  local t = ...
  if type(t) ~= 'table' then argerror(1, 'table expected, got ' .. typename(1, ...)) end
  return next, behind[t] or t, nil
end

-- rawset, rawget, setmetatable and getmetatable on a library table act on it as on Redis's read-only table;
-- on other values they are Lua's own, their arguments checked here first as the C functions check them.
local raw_rawset, raw_rawget, raw_setmetatable = rawset, rawget, setmetatable

local function checktable(narg, ...)
  if type((select(narg, ...))) ~= 'table' then argerror(narg, 'table expected, got ' .. typename(narg, ...)) end
end

local function checkany(narg, ...)
  if narg > select('#', ...) then argerror(narg, 'value expected') end
end

local function readonly_error()
  error('Attempt to modify a readonly table', 0)
end

local function sandbox_rawset(...)
  checktable(1, ...)
  checkany(2, ...)
  checkany(3, ...)
  local t = ...
  if behind[t] or t == globals then readonly_error() end
  return raw_rawset(...)
end

local function sandbox_rawget(...)
  checktable(1, ...)
  checkany(2, ...)
  local t, k = ...
  return raw_rawget(behind[t] or t, k)
end

local function sandbox_setmetatable(...)
  local t, mt = ...
  local kind = typename(2, ...)
  checktable(1, ...)
  if kind ~= 'nil' and kind ~= 'table' then argerror(2, 'nil or table expected') end
  if behind[t] or t == globals then readonly_error() end
  local current = getmetatable(t)
  if current ~= nil and (type(current) ~= 'table' or raw_rawget(current, '__metatable') ~= nil) then
    raise('cannot change a protected metatable')
  end
  return raw_setmetatable(t, mt)
end

-- What getmetatable shows of a metatable scripts may not change (the globals', a basic type's): a read-only
-- view, its library tables as their proxies.
local function metatable_view(mt)
  if proxies[mt] then return proxies[mt] end
  local view = {}
  if type(mt) == 'table' then
    for k, v in next, mt do view[k] = proxies[v] or v end
  end
  proxies[mt] = readonly(view)
  return proxies[mt]
end

local function sandbox_getmetatable(...)
  checkany(1, ...)
  local v = ...
  if behind[v] or v == json_null then return nil end -- cjson.null: a light userdata in Redis, no metatable
  if v == globals then return metatable_view(globals) end
  local mt = getmetatable(v)
  if mt ~= nil and type(v) ~= 'table' and type(v) ~= 'userdata' then return metatable_view(mt) end
  return mt
end

-- Installs the libraries into the globals scripts see (the prelude's `visible` table).
-- The standard libraries and `redis` are read-only as well, as Redis protects every global table.
return function(visible, globals_table)
  globals = globals_table
  for _, name in ipairs({'string', 'math', 'table', 'coroutine', 'redis'}) do visible[name] = readonly(visible[name]) end
  visible.cjson = readonly(wrapped(new_cjson()))
  visible.cmsgpack = readonly(wrapped(cmsgpack))
  visible.bit = readonly(wrapped(bit))
  visible.struct = readonly(wrapped(struct))
  for name, f in pairs({next = see_through_next, pairs = see_through_pairs, rawset = sandbox_rawset,
      rawget = sandbox_rawget, setmetatable = sandbox_setmetatable, getmetatable = sandbox_getmetatable}) do
    visible[name] = c_function(f, false)
    entries[visible[name]] = true
  end
end
