package org.akkaredis.text;

/**
 * How SORT reads an element or a BY weight as a number (sort.c): strtod over the value as a C string, so the text
 * ends at its first NUL byte and an empty text is 0; it is refused when something follows the number (a text
 * that is only white space included), when it is NaN, and when strtod reports ERANGE (an overflow to infinity,
 * or a non-zero number that underflows to zero).
 */
public final class SortNumber {
  private SortNumber() {}

  /** The number, or null when SORT refuses it ("One or more scores can't be converted into double"). */
  public static Double parse(byte[] value) {
    int length = 0;
    while (length < value.length && value[length] != 0) length++;
    if (length == 0) return 0.0;
    byte[] text = length == value.length ? value : java.util.Arrays.copyOf(value, length);
    FloatText number = FloatText.scan(text);
    if (!number.isWholeText() || number.kind == FloatText.Kind.NAN) return null;
    double parsed = number.toDouble();
    if (number.isFinite() && (Double.isInfinite(parsed) || (parsed == 0 && number.hasNonZeroDigit()))) return null;
    return parsed;
  }
}
