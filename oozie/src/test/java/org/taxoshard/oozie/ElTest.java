package org.taxoshard.oozie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expression language subset the walker evaluates the workflow with behaves as Oozie's EL does. */
class ElTest {
  final List<String> calls = new ArrayList<>();
  final El el = new El(Map.of("a", "x", "none", "", "n", "60")::get)
      .function("fs:exists", args -> {
        calls.add(El.text(args.get(0)));
        return El.text(args.get(0)).endsWith("/there");
      });

  @Test
  void templatesAndConcat() {
    assertEquals("x/scan", el.evaluate("${a}/scan"));
    assertEquals("pre-x-x/i-post", el.evaluate("pre-${a}-${concat(a, '/i')}-post"));
    assertEquals("no expressions", el.evaluate("no expressions"));
    assertEquals("60", el.evaluate("${n}"));
  }

  @Test
  void booleansShortCircuitLikeEl() {
    assertFalse(el.test("${not empty none and fs:exists(concat(none, '/index.json'))}"));
    assertTrue(calls.isEmpty(), "the right side of a false 'and' is not evaluated: " + calls);
    assertFalse(el.test("${not empty a and fs:exists(concat(a, '/index.json'))}"));
    assertTrue(el.test("${not empty a and fs:exists(concat(a, '/there'))}"));
    assertTrue(el.test("${empty none || false}"));
    assertTrue(el.test("${a == 'x' && a ne 'y'}"));
    assertTrue(el.test("${!(a eq 'y')}"));
  }

  @Test
  void conditional() {
    assertEquals("y", el.evaluate("${(not empty a and fs:exists(concat(a, '/there'))) ? 'y' : a}"));
    assertEquals("x", el.evaluate("${(not empty a and fs:exists(concat(a, '/index.json'))) ? 'y' : a}"));
    assertEquals("y", el.evaluate("${fs:exists('p/there') ? 'y' : a}"));
    calls.clear();
    assertEquals("w/index", el.evaluate("${empty none ? concat('w', '/index') : fs:exists(a)}"));
    assertTrue(calls.isEmpty(), "the branch not taken is not evaluated");
  }

  @Test
  void unknownNamesAreErrors() {
    assertThrows(El.ElException.class, () -> el.evaluate("${nope}"));
    assertThrows(El.ElException.class, () -> el.evaluate("${wf:nope()}"));
    assertThrows(El.ElException.class, () -> el.evaluate("${a"));
    assertThrows(El.ElException.class, () -> el.evaluate("${a b}"));
  }
}
