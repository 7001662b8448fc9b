package org.akkaredis.it;

import java.util.List;
import java.util.stream.Stream;
import org.akkaredis.it.support.DifferentialRunner;
import org.akkaredis.it.support.Script;
import org.akkaredis.it.support.ServerPair;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Redis 7.0's bundled Lua libraries — cjson, cmsgpack, bit, struct — against a real redis-server, reply for
 * reply (bytes included): encodings of every size class and number kind, the configuration functions, the
 * error texts with their script line and function name, the libraries' read-only tables.
 */
class ScriptLibrariesDifferentialTest extends ServerPair {

  ScriptLibrariesDifferentialTest() {
    super(false);
  }

  @TestFactory
  Stream<DynamicTest> scripts() {
    DifferentialRunner runner = new DifferentialRunner(redis, node);
    return all().stream()
        .map(script -> DynamicTest.dynamicTest(script.name(), () -> DifferentialTest.check(runner, script, false)));
  }

  static List<Script> all() {
    return List.of(cjsonEncode(), cjsonDecode(), cjsonConfiguration(), cjsonErrors(), cmsgpackPack(),
        cmsgpackUnpack(), bit(), struct(), sandbox(), functions(), generated());
  }

  /** EVAL of each body with no keys. */
  private static Script evals(String name, String... bodies) {
    Script script = new Script(name);
    for (String body : bodies) script.cmd("EVAL", body, "0");
    return script;
  }

  static Script cjsonEncode() {
    return evals("cjson.encode",
        "return cjson.encode({1, 2, 3, {a = 1}})",
        "return cjson.encode({0.1, 1e300, -0, 1/3, 123456789012345678, 2^53, -2^63, 1e-310, 5e-324, 100, 1e15, 1e16})",
        "return cjson.encode({})",
        "return cjson.encode({{}, {{}}, {a = {}}})",
        "return cjson.encode('plain')",
        "return cjson.encode(12.5)",
        "return cjson.encode(true)",
        "return cjson.encode(nil)",
        "return cjson.encode(cjson.null)",
        "return cjson.encode({cjson.null, false, true})",
        "return cjson.encode('q\"b\\\\s/\\b\\f\\n\\r\\t\\0\\1\\31\\127\\128\\255 \\195\\169')",
        "local s = '' for i = 0, 255 do s = s .. string.char(i) end return cjson.encode(s)",
        "return cjson.encode({[1] = 'a', [2] = 'b', [4] = 'd'})",
        "return cjson.encode({[1] = 'a', [3] = 'c'})",
        "return cjson.encode({[10] = 'x'})",
        "return cjson.encode({[11] = 'x'})",
        "return cjson.encode({[1] = 1, [2] = 2, [30] = 30})",
        "return cjson.encode({[0] = 'zero'})",
        "return cjson.encode({[-1] = 'neg'})",
        "return cjson.encode({[1.5] = 'half'})",
        "return cjson.encode({[2^40] = 'big'})",
        "return cjson.encode({a = {b = {c = {d = {1, 2, {e = 'deep'}}}}}})",
        "local t = {} for i = 1, 20 do t['k' .. i] = i end return cjson.encode(t)",
        "local t = {} for i = 1, 100 do t[i] = i * 1.5 end return cjson.encode(t)",
        "return cjson.encode({1, 'two', nil, 4})",
        "return cjson.encode({['1'] = 1, [1] = 2})");
  }

  static Script cjsonDecode() {
    return evals("cjson.decode",
        "return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')",
        "local d = cjson.decode('{\"keya\": \"a\", \"keyb\": \"b\"}') return {d.keya, d.keyb}",
        "return cjson.encode(cjson.decode('{\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":false}'))",
        "return type(cjson.decode('null'))",
        "return tostring(cjson.decode('null') == cjson.null)",
        "return tostring(cjson.null)",
        "return cjson.decode('\"\\\\u00e9\\\\u20ac\\\\ud83d\\\\ude00\\\\u0041\\\\u0000x\"')",
        "return cjson.decode('\"\\\\\"\\\\\\\\\\\\/\\\\b\\\\f\\\\n\\\\r\\\\t\"')",
        "return cjson.decode('  \\t\\r\\n [ 1 , 2 ] \\n ')[2]",
        "return tostring(cjson.decode('1e400'))",
        "return tostring(cjson.decode('-1e400'))",
        "return tostring(cjson.decode('0x1F'))",
        "return tostring(cjson.decode('Infinity'))",
        "return tostring(cjson.decode('-Infinity'))",
        "return tostring(cjson.decode('inf'))",
        "return tostring(cjson.decode('nan'))",
        "return tostring(cjson.decode('-nan'))",
        "return tostring(cjson.decode('+5'))",
        "return tostring(cjson.decode('007'))",
        "return tostring(cjson.decode('-.5'))",
        "return tostring(cjson.decode('1.'))",
        "return tostring(cjson.decode('12345678901234567890'))",
        "return tostring(cjson.decode('1e5x'))",
        "return cjson.decode(123)",
        "return cjson.decode('[1]\\0garbage')[1]",
        "return cjson.encode(cjson.decode('[[[[[[[[[[1]]]]]]]]]]'))",
        "return cjson.encode(cjson.decode('{}'))",
        "return cjson.encode(cjson.decode('[]'))",
        "return #cjson.decode('[1,2,3,4,5,6,7,8,9,10,11,12]')");
  }

  static Script cjsonConfiguration() {
    return evals("cjson configuration",
        "return {cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision()}",
        "local a, b, c = cjson.encode_sparse_array() return {tostring(a), b, c}",
        "return {tostring(cjson.encode_keep_buffer()), tostring(cjson.encode_invalid_numbers()),"
            + " tostring(cjson.decode_invalid_numbers())}",
        "cjson.encode_number_precision(3) local s = cjson.encode({1/3, 12345, 0.1})"
            + " cjson.encode_number_precision(14) return s",
        "local a, b, c = cjson.encode_sparse_array(true, 3, 4) local s = cjson.encode({[1] = 1, [20] = 2})"
            + " cjson.encode_sparse_array(false, 2, 10) return {tostring(a), b, c, s}",
        "cjson.encode_sparse_array(false, 0) local s = cjson.encode({[1] = 1, [20] = 2})"
            + " cjson.encode_sparse_array(false, 2, 10) return s",
        "local r = cjson.encode_invalid_numbers('null') local s = cjson.encode({0/0, 1/0, -1/0, 1})"
            + " cjson.encode_invalid_numbers(false) return {r, s}",
        "local r = cjson.encode_invalid_numbers('on') local s = cjson.encode({1/0, -1/0, 0/0})"
            + " cjson.encode_invalid_numbers('off') return {tostring(r), s}",
        "cjson.decode_invalid_numbers(false) local ok, e = pcall(cjson.decode, '[0x10]')"
            + " local ok2, e2 = pcall(cjson.decode, 'NaN') local ok3, e3 = pcall(cjson.decode, '[+1]')"
            + " local ok4, e4 = pcall(cjson.decode, '[01]') cjson.decode_invalid_numbers(true) return {e, e2, e3, e4}",
        "cjson.encode_max_depth(2) local ok, e = pcall(cjson.encode, {{{1}}}) local s = cjson.encode({{1}})"
            + " cjson.encode_max_depth(1000) return {e, s}",
        "cjson.decode_max_depth(2) local ok, e = pcall(cjson.decode, '[[[1]]]') local ok2, e2 = pcall(cjson.decode, '{\"a\":{\"b\":{}}}')"
            + " cjson.decode_max_depth(1000) return {e, e2}",
        "return {tostring(cjson.encode_keep_buffer(false)), tostring(cjson.encode_keep_buffer('on')),"
            + " cjson.encode({1})}",
        "local c = cjson.new() c.encode_max_depth(3) return {c.encode_max_depth(), cjson.encode_max_depth(),"
            + " c.encode({1, {2}}), c._NAME, c._VERSION, tostring(c.null == cjson.null)}",
        "return {cjson._NAME, cjson._VERSION}",
        "local t = {} local c = t for i = 1, 999 do c[1] = {} c = c[1] end return #cjson.encode(t)",
        "local t = {} local c = t for i = 1, 1000 do c[1] = {} c = c[1] end local ok, e = pcall(cjson.encode, t) return e",
        "local ok, e = pcall(cjson.decode, string.rep('[', 1001)) return e",
        "cjson.decode_max_depth(100000) local ok, e = pcall(cjson.decode, string.rep('{\"a\":', 5000))"
            + " cjson.decode_max_depth(1000) return e");
  }

  static Script cjsonErrors() {
    return evals("cjson errors",
        "return cjson.encode()",
        "return cjson.encode(1, 2)",
        "local f = cjson.encode return f()",
        "local ok, e = pcall(cjson.encode) return e",
        "return cjson.encode(function() end)",
        "return cjson.encode({f = print})",
        "return cjson.encode({[true] = 1})",
        "return cjson.encode({0/0})",
        "return cjson.encode({a = 1/0})",
        "return cjson.encode({[1] = 1, [50] = 2})",
        "local t = {} t.self = t return cjson.encode(t)",
        "return cjson.decode()",
        "return cjson.decode({})",
        "return cjson.decode('')",
        "return cjson.decode('[1,')",
        "return cjson.decode('[1,]')",
        "return cjson.decode('{\"a\":1,}')",
        "return cjson.decode('[1 2]')",
        "return cjson.decode('{\"a\" 1}')",
        "return cjson.decode('{1: 2}')",
        "return cjson.decode('{\"a\": 1,}')",
        "return cjson.decode('[1] x')",
        "return cjson.decode('tru')",
        "return cjson.decode('\"abc')",
        "return cjson.decode('\"a\\\\qb\"')",
        "return cjson.decode('\"\\\\u12\"')",
        "return cjson.decode('\"\\\\ud800\"')",
        "return cjson.decode('\"\\\\udc00\\\\ud800\"')",
        "return cjson.decode('\"\\\\ud800\\\\u0041\"')",
        "return cjson.decode('-')",
        "return cjson.decode('@')",
        "return cjson.decode('\\0[')",
        "return cjson.decode('[\\0')",
        "return cjson.encode_max_depth(0)",
        "return cjson.encode_max_depth(1, 2)",
        "return cjson.encode_max_depth('x')",
        "return cjson.encode_sparse_array(true, 'x')",
        "return cjson.encode_sparse_array(true, -1)",
        "return cjson.encode_keep_buffer(1)",
        "return cjson.encode_invalid_numbers('maybe')",
        "return cjson.encode_number_precision(15)",
        "return cjson.decode_max_depth(0)",
        "local c = cjson.new() local x = c.encode() return x",
        // a failed setting keeps the settings before it (the sparse flag), as in Redis; then the defaults again
        "local a, b, c = cjson.encode_sparse_array() return {tostring(a), b, c}",
        "cjson.encode_sparse_array(false, 2, 10) cjson.encode_max_depth(1000) cjson.encode_keep_buffer(true)"
            + " return {cjson.encode_sparse_array()}");
  }

  static Script cmsgpackPack() {
    return evals("cmsgpack.pack",
        "return cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, 2^53, 2^63 - 2^11)",
        "return cmsgpack.pack(-1, -31, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, -2^53, -2^63)",
        "return cmsgpack.pack(0.1, 0.5, -0.5, 1.5, 1e300, -1e300, 2^63, -2^63 - 2^11, 1e-40, 3.4028234663852886e38)",
        "return cmsgpack.pack(1/0, -1/0, -0, 16777217.5, 0.1 + 0.2)",
        "return cmsgpack.pack(true, false, nil, cjson.null, print)",
        "return cmsgpack.pack('', 'a', string.rep('x', 31), string.rep('y', 32))",
        "return cmsgpack.pack(string.rep('z', 255), string.rep('w', 256))",
        "return #cmsgpack.pack(string.rep('v', 65535)) .. ' ' .. #cmsgpack.pack(string.rep('u', 65536))",
        "return string.sub(cmsgpack.pack(string.rep('v', 65535)), 1, 4) .. string.sub(cmsgpack.pack(string.rep('u', 65536)), 1, 6)",
        "return cmsgpack.pack({}, {1}, {1, 2, 3}, {a = 1}, {[1] = 1, [3] = 3}, {[0] = 0}, {1.5})",
        "local t = {} for i = 1, 15 do t[i] = i end local u = {} for i = 1, 16 do u[i] = i end return cmsgpack.pack(t, u)",
        "local t = {} for i = 1, 65536 do t[i] = i % 7 end local s = cmsgpack.pack(t) return {#s, string.sub(s, 1, 8)}",
        "local t = {} for i = 1, 15 do t['k' .. i] = i end local s = cmsgpack.pack(t) return {#s, string.sub(s, 1, 1)}",
        "local t = {} for i = 1, 16 do t['k' .. i] = i end local s = cmsgpack.pack(t) return {#s, string.sub(s, 1, 3)}",
        "local t = {} for i = 1, 65536 do t['k' .. i] = 1 end local s = cmsgpack.pack(t) return {#s, string.sub(s, 1, 5)}",
        "return cmsgpack.pack({a = {b = {c = {1, 2, {d = 'x'}}}}})",
        "local a = {} a.self = a return cmsgpack.pack(a)",
        "local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return cmsgpack.pack(t)",
        "return cmsgpack.pack()");
  }

  static Script cmsgpackUnpack() {
    return evals("cmsgpack.unpack",
        "return {cmsgpack.unpack(cmsgpack.pack(1, 'a', {1, 2}, -5, 300, -300, 70000, -70000, 2^40, -2^40))}",
        "local t = {cmsgpack.unpack(cmsgpack.pack(0.1, 1e300, 1.5))} return {tostring(t[1]), tostring(t[2]), tostring(t[3])}",
        "local d = cmsgpack.unpack(cmsgpack.pack({a = 1, b = {1, 2, 3}})) return {d.a, d.b[3]}",
        "local s = cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255') return tostring(s)",
        "local s = cmsgpack.unpack('\\207\\128\\0\\0\\0\\0\\0\\0\\1') return tostring(s)",
        "local s = cmsgpack.unpack('\\211\\128\\0\\0\\0\\0\\0\\0\\0') return tostring(s)",
        "return {cmsgpack.unpack('\\204\\200\\205\\1\\0\\208\\128\\209\\128\\0\\210\\128\\0\\0\\0\\206\\255\\255\\255\\255')}",
        "return tostring(cmsgpack.unpack('\\202\\127\\128\\0\\0')) .. tostring(cmsgpack.unpack('\\203\\255\\248\\0\\0\\0\\0\\0\\0'))",
        "return {cmsgpack.unpack('\\147\\1\\2\\3\\217\\3abc\\218\\0\\2xy\\219\\0\\0\\0\\1z')}",
        "local t = cmsgpack.unpack('\\220\\0\\2\\1\\2') local m = cmsgpack.unpack('\\222\\0\\1\\161k\\161v') return {t[2], m.k}",
        "local t = cmsgpack.unpack('\\221\\0\\0\\0\\1\\7') local m = cmsgpack.unpack('\\223\\0\\0\\0\\1\\161k\\3') return {t[1], m.k}",
        "return {cmsgpack.unpack('\\195\\194\\192\\1')}",
        "local e = cmsgpack.pack(1, 2, 3) return {cmsgpack.unpack_one(e)}",
        "local e = cmsgpack.pack(1, 2, 3) return {cmsgpack.unpack_one(e, 1)}",
        "local e = cmsgpack.pack(1, 2, 3) return {cmsgpack.unpack_one(e, 2)}",
        "local e = cmsgpack.pack(1, 2, 3) return {cmsgpack.unpack_one(e, 3)}",
        "local e = cmsgpack.pack(1, 2, 3) return {cmsgpack.unpack_limit(e, 2)}",
        "local e = cmsgpack.pack(1, 2, 3) return {cmsgpack.unpack_limit(e, 5, 1)}",
        "local e = cmsgpack.pack(1, 2, 3) return {cmsgpack.unpack_limit(e, 0)}",
        "local e = cmsgpack.pack('a', 'bb') local o, x = cmsgpack.unpack_limit(e, 1, 0) local o2, y = cmsgpack.unpack_limit(e, 1, o) return {o, x, o2, y}",
        "return #{cmsgpack.unpack(string.rep('\\1', 7999))}",
        "return cmsgpack.unpack(string.rep('\\1', 8000))",
        "return cmsgpack.unpack(string.rep('\\145', 5000) .. '\\1')",
        "return cmsgpack.unpack('\\193')",
        "return cmsgpack.unpack('\\205\\1')",
        "return cmsgpack.unpack('\\165abc')",
        "return cmsgpack.unpack('\\146\\1')",
        "return cmsgpack.unpack('\\129\\192\\1')",
        "return cmsgpack.unpack_one('\\1', -1)",
        "return cmsgpack.unpack_one('\\1', 5)",
        "return cmsgpack.unpack_limit('\\1', -1)",
        "return cmsgpack.unpack_limit('\\1')",
        "return cmsgpack.unpack()",
        "return {cmsgpack.unpack('')}",
        "return {cmsgpack.unpack(12)}");
  }

  static Script bit() {
    return evals("bit",
        "return {bit.tobit(1), bit.tobit(2^32 + 5), bit.tobit(2^31), bit.tobit(-1), bit.tobit(1.5), bit.tobit(2.5),"
            + " bit.tobit(-1.5), bit.tobit(2^52), bit.tobit(2^53 + 2), bit.tobit(1e300), bit.tobit(-2^51 - 3), bit.tobit('12')}",
        "return {bit.tobit(0/0), bit.tobit(1/0), bit.tobit(-1/0), bit.tobit(2^60 + 2^33 + 7), bit.tobit(-2^60 - 9)}",
        "return {bit.band(0xff, 0x0f), bit.band(1), bit.band(-1, 0x12345678, 0xff00ff00), bit.bor(1, 2, 4, 8, 16, 32, 64, 128),"
            + " bit.bxor(1, 2), bit.bxor(-1, 0x0f0f0f0f), bit.bnot(0), bit.bnot(0x7fffffff)}",
        "return {bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(3, 33), bit.lshift(1, -1), bit.rshift(-1, 28), bit.rshift(-1, 0),"
            + " bit.arshift(-256, 4), bit.arshift(256, 4), bit.arshift(-1, 31), bit.arshift(0x80000000, 1)}",
        "return {bit.rol(0x12345678, 8), bit.rol(0x12345678, 0), bit.rol(-1, 5), bit.ror(0x12345678, 8), bit.ror(1, 1),"
            + " bit.ror(0x12345678, 32), bit.bswap(0x12345678), bit.bswap(-1), bit.bswap(0x000000ff)}",
        "return {bit.tohex(65535), bit.tohex(-1), bit.tohex(0x12345678, 4), bit.tohex(0x12345678, -4), bit.tohex(1, 0),"
            + " bit.tohex(255, 12), bit.tohex(255, -12), bit.tohex(65535, -2147483648), bit.tohex(2^32 + 0xab)}",
        "assert(bit.tobit(1) == 1) assert(bit.band(1) == 1) assert(bit.bxor(1, 2) == 3)"
            + " assert(bit.bor(1, 2, 4, 8, 16, 32, 64, 128) == 255) return 'ok'",
        "return bit.band()",
        "return bit.band(1, 'x')",
        "return bit.tohex(1, nil)",
        "return bit.lshift(1)",
        "local f = bit.bor return f({})",
        "local ok, e = pcall(bit.tobit) return e");
  }

  static Script struct() {
    return evals("struct",
        "return struct.pack('>bBhHlLiIT', -1, 255, -2, 65535, -3, 2^40, -4, 4294967295, 77)",
        "return struct.pack('<bBhHlLiIT', -1, 255, -2, 65535, -3, 2^40, -4, 4294967295, 77)",
        "return struct.pack('=i3I5i16', -1, 2^33 + 1, -1)",
        "return struct.pack('>fd<fd', 0.1, 0.1, -2.5, 1e300)",
        "return struct.pack('>f', 1e40) .. struct.pack('>f', 1e-45) .. struct.pack('>f', 0/0) .. struct.pack('>d', -0)",
        "return struct.pack('c3c0s', 'abcdef', 'xyz', 'zt')",
        "return struct.pack('!4bi!2bh!bd', 1, 2, 3, 4, 5, 6)",
        "return struct.pack('!b d', 1, 2)",
        "return struct.pack('xbxx', 7)",
        "return struct.pack('<L', 2^64) .. struct.pack('<l', -1e300) .. struct.pack('<L', 0/0) .. struct.pack('<l', 3.9) .. struct.pack('<l', -3.9)",
        "return {struct.unpack('>bBhHlLiIT', struct.pack('>bBhHlLiIT', -1, 255, -2, 65535, -3, 2^40, -4, 4294967295, 77))}",
        "return {struct.unpack('<i3I5', struct.pack('<i3I5', -5, 2^33 + 1))}",
        "local a, b, c = struct.unpack('>fd', struct.pack('>fd', 0.1, 0.1)) return {tostring(a), tostring(b), c}",
        "return {struct.unpack('bc0', struct.pack('bc0', 3, 'abc'))}",
        "return {struct.unpack('s s', 'hi\\0there\\0')}",
        "return {struct.unpack('c2', 'abcdef', 3)}",
        "return {struct.unpack('!4bi', struct.pack('!4bi', 1, 2))}",
        "return {struct.unpack('i12', string.rep('\\255', 8) .. string.rep('\\0', 4))}",
        "return {struct.unpack('i12', '\\0\\0\\0\\128' .. string.rep('\\0', 8))}",
        "return {struct.unpack('I16', string.rep('\\255', 16))}",
        "return {struct.unpack('<L', '\\255\\255\\255\\255\\255\\255\\255\\255')}",
        "return {struct.unpack('<l', '\\0\\0\\0\\0\\0\\0\\0\\128')}",
        "return {struct.size('bhilfdT'), struct.size('!bhilfd'), struct.size('!2bd'), struct.size('c10x'), struct.size('z'), struct.size('')}",
        "return struct.pack('z', 1)",
        "return struct.pack('i33', 1)",
        "return struct.pack('i99999999999', 1)",
        "return struct.pack('!3b', 1)",
        "return struct.pack('c5', 'ab')",
        "return struct.pack('b')",
        "return struct.pack('b', 'x')",
        "return struct.pack()",
        "return struct.unpack('i', 'ab')",
        "return struct.unpack('b', 'a', 0)",
        "return struct.unpack('b', 'a', 3)",
        "return struct.unpack('c0', 'abc')",
        "return struct.unpack('s', 'abc')",
        "return struct.size('s')",
        "return struct.size('c0')",
        "return struct.size('!3')",
        "return {struct.pack('b\\0b', 1, 2)}");
  }

  /** A pseudo-random generator in the script itself, so that both servers see the same thousands of values. */
  private static final String RANDOM = "local seed = 7 local function rnd() seed = (seed * 1103515245 + 12345) % 2147483648"
      + " return seed end ";

  static Script generated() {
    return evals("generated values",
        RANDOM + "local out = {} for i = 1, 3000 do local r = rnd() local x = (r / 2147483648 - 0.5) * 2 ^ (rnd() % 160 - 80)"
            + " if i % 3 == 0 then x = math.floor(x) end"
            + " out[#out + 1] = cmsgpack.pack(x) .. struct.pack('<fdlLi3I6>hH', x, x, x, x, x, x, x, x) .. cjson.encode(x)"
            + " .. bit.tobit(x) .. bit.tohex(x) .. bit.tohex(x, -5) .. bit.band(x, rnd()) .. bit.bor(x, rnd()) .. bit.bxor(x, rnd())"
            + " .. bit.lshift(x, rnd()) .. bit.rshift(x, rnd()) .. bit.arshift(x, rnd()) .. bit.rol(x, rnd()) .. bit.ror(x, rnd())"
            + " .. bit.bswap(x) end return table.concat(out)",
        RANDOM + "local out = {} for i = 1, 3000 do local n = rnd() % 64 local b = {} for j = 1, n do b[j] = rnd() % 256 end"
            + " local s = string.char(unpack(b)) local r = {pcall(cmsgpack.unpack, s)}"
            + " for k = 1, #r do out[#out + 1] = type(r[k]) == 'table' and tostring(select(2, pcall(cjson.encode, r[k]))) or tostring(r[k]) end"
            + " local r2 = {pcall(struct.unpack, '<bhi3LfdBHc2', s)} for k = 1, #r2 do out[#out + 1] = tostring(r2[k]) end"
            + " end return table.concat(out, ',')",
        RANDOM + "local chars = {'[', ']', '{', '}', ',', ':', '\"', '\\\\', 'u', '1', '-', 'e', '.', 'n', 't', 'f', ' ', 'a', '0', 'x'}"
            + " local out = {} for i = 1, 3000 do local n = rnd() % 12 local b = {} for j = 1, n do b[j] = chars[rnd() % #chars + 1] end"
            + " local s = table.concat(b) local ok, v = pcall(cjson.decode, s)"
            + " if ok then local ok2, e = pcall(cjson.encode, v) out[#out + 1] = tostring(e) else out[#out + 1] = v end"
            + " end return table.concat(out, ',')",
        RANDOM + "local out = {} for i = 1, 2000 do local t = {} for j = 1, rnd() % 6 do local k = rnd() % 5"
            + " if k == 0 then t[rnd() % 8] = rnd() elseif k == 1 then t['k' .. rnd() % 4] = {rnd() % 3} elseif k == 2 then"
            + " t[#t + 1] = rnd() / 7 else t[#t + 1] = 'v' .. rnd() % 10 end end"
            + " local ok, e = pcall(cjson.encode, t) out[#out + 1] = tostring(e) out[#out + 1] = cmsgpack.pack(t) end"
            + " return table.concat(out, ',')");
  }

  static Script functions() {
    return new Script("bundled libraries in FUNCTION libraries")
        .cmd("FUNCTION", "LOAD", "#!lua name=libs\n"
            + "redis.register_function('roundtrip', function(keys, args)"
            + " return {cjson.encode(cjson.decode(args[1])), cmsgpack.pack(args[2]), bit.tohex(tonumber(args[3])),"
            + " struct.pack('>I2', tonumber(args[3]))} end)")
        .cmd("FCALL", "roundtrip", "0", "{\"a\":[1,2.5,\"x\"]}", "payload", "4660")
        .cmd("FUNCTION", "LOAD", "#!lua name=atload\nlocal x = cjson.encode({1})")
        .cmd("FUNCTION", "LOAD", "#!lua name=atload2\nlocal x = bit")
        .cmd("FUNCTION", "FLUSH");
  }

  static Script sandbox() {
    return evals("bundled libraries in the sandbox",
        "cjson.encode = function() return 1 end",
        "cmsgpack.pack = function() return 1 end",
        "bit.lshift = function() return 1 end",
        "struct.pack = function() return 1 end",
        "cjson.newfield = 1",
        "cjson = 1",
        "local t = {} for k, v in pairs(cjson) do t[#t + 1] = k .. ':' .. type(v) end table.sort(t) return t",
        "local t = {} for _, lib in ipairs({'cmsgpack', 'bit', 'struct'}) do for k, v in pairs(_G[lib]) do"
            + " t[#t + 1] = lib .. '.' .. k .. ':' .. type(v) end end table.sort(t) return t",
        "return {cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION}",
        "return {type(cjson), type(cjson.encode), type(cjson.null), type(bit.band)}",
        "local n = 0 local k = next(cjson) while k do n = n + 1 k = next(cjson, k) end return n",
        "return pairs(nil)",
        "return next()",
        "local t = {} for k, v in pairs({a = 1, b = 2, 3}) do t[#t + 1] = tostring(k) end table.sort(t) return t",
        "return {cjson.null}",
        "return cjson.null",
        "return {type(getmetatable(cjson.null)), type(getmetatable(cjson)), cjson.null == cjson.decode('null')}",
        "return redis.sha1hex('abc')",
        "rawset(cjson, 'encode', 1)",
        "return type(rawget(cjson, 'encode'))",
        "return tostring(getmetatable(cjson))",
        "setmetatable(cjson, {})",
        "return #cjson",
        "return rawset({}, 1)",
        "return rawget()",
        "return rawget({}, 'a')",
        "local t = {} rawset(t, 'a', 1) return rawget(t, 'a')",
        "return rawset({}, nil, 1)",
        "local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}) return {t.x, rawget(t, 'x') == nil}",
        "local t = setmetatable({}, {__metatable = 'locked'}) return getmetatable(t)",
        "local t = setmetatable({}, {__metatable = 'locked'}) setmetatable(t, {})",
        "return setmetatable({}, 5)",
        "return setmetatable()",
        "return getmetatable()",
        "return getmetatable('abc').__index == string",
        "setmetatable(_G, {})",
        "local g = getmetatable(_G) g.__index = {}",
        "redis = function() return 1 end",
        "_G = {}",
        "rawset(_G, 'x', 1)",
        "redis.call = function() return 1 end",
        "string.rep = nil",
        "math.x = 1",
        "table.insert = nil",
        "rawset(string, 'x', 1)",
        "setmetatable(string, {})",
        "getmetatable(nil).__index = function() return 1 end",
        "getmetatable('').__index = function() return 1 end",
        "getmetatable(123.222).__index = function() return 1 end",
        "getmetatable(true).__index = function() return 1 end",
        "getmetatable(function() return 1 end).__index = function() return 1 end",
        "return {('x'):rep(3), string.format('%5.1f', 1.25), math.floor(2.5), table.concat({1, 2}, '-'),"
            + " redis.sha1hex('x'), #string, type(getmetatable(''))}",
        "local t = {} for k in pairs(string) do t[#t + 1] = k end table.sort(t) return t",
        "local t = {} for k in pairs(redis) do t[#t + 1] = k end table.sort(t) return t");
  }
}
