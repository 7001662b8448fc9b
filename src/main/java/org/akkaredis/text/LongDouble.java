package org.akkaredis.text;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A long double as Redis's INCRBYFLOAT and HINCRBYFLOAT compute with it: the x87 80-bit format (64-bit significand, values
 * below 2^16384, subnormals down to 2^-16445). Redis parses with strtold, adds once and prints with
 * "%.17Lf" minus trailing zeros; a Java double would print other digits (0.1 + 0.2 is "0.3" in Redis, 1e30 is
 * 1000000000000000000024696061952), so the same steps are redone exactly here. A finite value is held as the
 * exact decimal expansion of its binary value.
 */
public record LongDouble(BigDecimal value, int infinity) {
  public static final LongDouble ZERO = new LongDouble(BigDecimal.ZERO, 0);
  private static final int SIGNIFICAND_BITS = 64;
  /** The smallest subnormal is 2^-16445. */
  private static final int MAX_FRACTION_BITS = 16445;
  /** Finite values are below 2^16384. */
  private static final int MAX_BINARY_MAGNITUDE = 16384;
  /** string2ld refuses arguments of MAX_LONG_DOUBLE_CHARS (5 * 1024) bytes or more. */
  private static final int MAX_CHARS = 5 * 1024;
  private static final BigInteger FIVE = BigInteger.valueOf(5);

  public boolean infinite() {
    return infinity != 0;
  }

  /**
   * Redis's string2ld: strtold must consume the whole argument (so a NUL byte anywhere refuses it), no
   * leading white space, NaN refused, and overflow or underflow to zero refused. Null when refused.
   */
  public static LongDouble parse(byte[] arg) {
    if (arg.length == 0 || arg.length >= MAX_CHARS || FloatText.isSpace(arg[0])) return null;
    FloatText number = FloatText.scan(arg);
    if (!number.isWholeText() || number.kind == FloatText.Kind.NAN) return null;
    if (number.kind == FloatText.Kind.INFINITY) return new LongDouble(null, number.negative ? -1 : 1);
    BigDecimal magnitude = number.kind == FloatText.Kind.HEX ? hexMagnitude(number) : decimalMagnitude(number);
    if (magnitude == null) return null;
    return number.negative ? new LongDouble(magnitude.negate(), 0) : new LongDouble(magnitude, 0);
  }

  /** A decimal number's magnitude rounded to a long double; null when it overflows or underflows to zero. */
  private static BigDecimal decimalMagnitude(FloatText number) {
    StringBuilder digits = new StringBuilder();
    int fractionDigits = 0;
    boolean dot = false;
    for (int i = number.mantissaStart; i < number.mantissaEnd; i++) {
      byte c = number.text[i];
      if (c == '.') {
        dot = true;
        continue;
      }
      if (digits.length() > 0 || c != '0') digits.append((char) c);
      if (dot) fractionDigits++;
    }
    if (digits.length() == 0) return BigDecimal.ZERO;
    // The value lies in [10^(magnitude-1), 10^magnitude): far outside the long double range it is refused
    // without building it; near the edges the exact rounding below decides.
    long magnitude = digits.length() + number.exponent - fractionDigits;
    if (magnitude > 4934 || magnitude < -4951) return null;
    BigDecimal exact = new BigDecimal(new BigInteger(digits.toString()), (int) (fractionDigits - number.exponent));
    return roundedNonZero(exact);
  }

  /** A hex float's magnitude rounded to a long double; null when it overflows or underflows to zero. */
  private static BigDecimal hexMagnitude(FloatText number) {
    BigInteger mantissa = BigInteger.ZERO;
    long fractionDigits = 0;
    boolean dot = false;
    for (int i = number.mantissaStart; i < number.mantissaEnd; i++) {
      int d = FloatText.digit(number.text, i, true);
      if (d < 0) {
        dot = true;
        continue;
      }
      mantissa = mantissa.shiftLeft(4).or(BigInteger.valueOf(d));
      if (dot) fractionDigits++;
    }
    if (mantissa.signum() == 0) return BigDecimal.ZERO;
    long binaryExponent = number.exponent - 4 * fractionDigits;
    long magnitude = mantissa.bitLength() + binaryExponent;
    if (magnitude > MAX_BINARY_MAGNITUDE + 1 || magnitude < -MAX_FRACTION_BITS - 1) return null;
    BigDecimal exact = binaryExponent >= 0
        ? new BigDecimal(mantissa.shiftLeft((int) binaryExponent))
        : new BigDecimal(mantissa.multiply(FIVE.pow((int) -binaryExponent)), (int) -binaryExponent);
    return roundedNonZero(exact);
  }

  /** strtold's ERANGE cases that string2ld refuses: overflow, and a non-zero number that rounds to zero. */
  private static BigDecimal roundedNonZero(BigDecimal exact) {
    BigDecimal rounded = round(exact);
    return rounded == null || rounded.signum() == 0 ? null : rounded;
  }

  /** The sum rounded to a long double, as the FPU's one addition does; infinite when it overflows. */
  public LongDouble add(LongDouble other) {
    if (infinite() || other.infinite()) return new LongDouble(null, infinite() ? infinity : other.infinity);
    BigDecimal exact = value.add(other.value);
    if (exact.signum() == 0) return ZERO;
    BigDecimal rounded = round(exact);
    return rounded == null ? new LongDouble(null, exact.signum()) : new LongDouble(rounded, 0);
  }

  /**
   * The nearest long double to an exact value (ties to even), as its exact decimal expansion; null when it
   * overflows, zero when it underflows.
   */
  private static BigDecimal round(BigDecimal exact) {
    if (exact.signum() == 0) return BigDecimal.ZERO;
    BigDecimal abs = exact.abs();
    BigInteger num;
    BigInteger den;
    if (abs.scale() <= 0) {
      num = abs.unscaledValue().multiply(BigInteger.TEN.pow(-abs.scale()));
      den = BigInteger.ONE;
    } else {
      num = abs.unscaledValue();
      den = BigInteger.TEN.pow(abs.scale());
    }
    // Scale num/den by 2^shift into [2^63, 2^64); subnormals keep fewer bits (shift capped).
    int shift = SIGNIFICAND_BITS - 1 - (num.bitLength() - den.bitLength());
    if (divideShifted(num, den, shift)[0].bitLength() < SIGNIFICAND_BITS) shift++;
    shift = Math.min(shift, MAX_FRACTION_BITS);
    BigInteger[] qr = divideShifted(num, den, shift);
    BigInteger quotient = qr[0];
    BigInteger divisor = shift >= 0 ? den : den.shiftLeft(-shift);
    int half = qr[1].shiftLeft(1).compareTo(divisor);
    if (half > 0 || (half == 0 && quotient.testBit(0))) quotient = quotient.add(BigInteger.ONE);
    if (quotient.signum() == 0) return BigDecimal.ZERO;
    if ((long) quotient.bitLength() - shift > MAX_BINARY_MAGNITUDE) return null;
    BigDecimal result = shift > 0
        ? new BigDecimal(quotient.multiply(FIVE.pow(shift)), shift)
        : new BigDecimal(quotient.shiftLeft(-shift));
    return exact.signum() < 0 ? result.negate() : result;
  }

  /** floor(num * 2^shift / den) and the remainder over the matching divisor. */
  private static BigInteger[] divideShifted(BigInteger num, BigInteger den, int shift) {
    return shift >= 0 ? num.shiftLeft(shift).divideAndRemainder(den)
        : num.divideAndRemainder(den.shiftLeft(-shift));
  }

  /** printf("%.17Lf") with trailing zeros (and a bare '.') removed, "-0" shown as "0": Redis's LD_STR_HUMAN. */
  public String formatHuman() {
    if (infinite()) return infinity > 0 ? "inf" : "-inf";
    String text = value.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
    int end = text.length();
    while (text.charAt(end - 1) == '0') end--;
    if (text.charAt(end - 1) == '.') end--;
    text = text.substring(0, end);
    return text.equals("-0") ? "0" : text;
  }
}
