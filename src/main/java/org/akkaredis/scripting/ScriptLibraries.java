package org.akkaredis.scripting;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;

/**
 * Redis 7.0's bundled Lua libraries — cjson, cmsgpack, bit, struct — for a Lua state: written in Lua
 * ({@code redis-libraries.lua}), each function wrapped here into a C function (a Java function), because Redis's
 * are C functions: a frame of their own even in a script's tail call, whose caller's line starts their error texts.
 */
final class ScriptLibraries {
  private static final int MULTRET = -1;

  private ScriptLibraries() {}

  /**
   * Loads the libraries into the state and sets, in the table at the top of the stack (the prelude's Java
   * functions), {@code install_libraries}: the function that puts them among the globals scripts see.
   */
  static void addTo(Lua state) throws LuaException {
    state.getGlobal("pcall");
    int pcallRef = state.ref();
    state.load(chunk(), "=[redis]");
    state.push(l -> wrap(l, pcallRef));
    state.pCall(1, 1);
    state.setField(-2, "install_libraries");
  }

  /** c_function(f, spread): f as a C function; spread: f answers (list, count), given as count results. */
  private static int wrap(Lua l, int pcallRef) {
    boolean spread = l.toBoolean(2);
    l.pushValue(1);
    int ref = l.ref();
    l.push((JFunction) c -> call(c, pcallRef, ref, spread));
    return 1;
  }

  /** Calls the Lua function through Lua's pcall, and answers its results or raises its error from here. */
  private static int call(Lua l, int pcallRef, int ref, boolean spread) {
    int args = l.getTop();
    l.refGet(pcallRef);
    l.insert(1);
    l.refGet(ref);
    l.insert(2);
    try {
      l.pCall(args + 1, MULTRET);
    } catch (LuaException e) {
      l.setTop(0);
      l.push(e.getMessage());
      return -1;
    }
    if (!l.toBoolean(1)) {
      l.setTop(2);
      return -1;
    }
    l.remove(1);
    if (!spread) return l.getTop();
    int count = (int) l.toInteger(2);
    l.setTop(1);
    int list = l.ref();
    // as many results as a C function may have (LUAI_MAXCSTACK): the list is fetched again for each
    l.checkStack(count + 1);
    for (int i = 1; i <= count; i++) {
      l.refGet(list);
      l.rawGetI(-1, i);
      l.replace(-2);
    }
    l.unref(list);
    return count;
  }

  private static ByteBuffer chunk() {
    try (InputStream in = ScriptLibraries.class.getResourceAsStream("/scripting/redis-libraries.lua")) {
      if (in == null) throw new IOException("not on the class path");
      byte[] code = in.readAllBytes();
      return ByteBuffer.allocateDirect(code.length).put(code).flip();
    } catch (IOException e) {
      throw new IllegalStateException("scripting/redis-libraries.lua is missing", e);
    }
  }
}
