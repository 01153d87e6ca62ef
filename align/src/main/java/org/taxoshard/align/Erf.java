package org.taxoshard.align;

/** The error function to double precision (the JDK has none). */
final class Erf {
  private Erf() {}

  /**
   * erf(x), from the complementary function's continued-fraction/series split: a Taylor series for
   * |x| < 2.5 and the asymptotic Lentz continued fraction beyond. Relative error about 1e-15.
   */
  static double erf(double x) {
    double ax = Math.abs(x);
    double r;
    if (ax < 2.5) {
      // erf(x) = 2/sqrt(pi) * sum_{k} (-1)^k x^(2k+1) / (k! (2k+1))
      double term = ax;
      double sum = ax;
      double x2 = ax * ax;
      for (int k = 1; k < 200; k++) {
        term *= -x2 / k;
        double add = term / (2 * k + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else if (ax > 27) {
      r = 1.0;
    } else {
      r = 1.0 - erfcLarge(ax);
    }
    return x < 0 ? -r : r;
  }

  /** erfc(x) = 1 - erf(x), without cancellation in the upper tail. */
  static double erfc(double x) {
    if (x < 0) {
      return 2 - erfc(-x);
    }
    if (x < 2.5) {
      return 1 - erf(x);
    }
    return x > 27 ? 0 : erfcLarge(x);
  }

  /** The standard normal distribution function, as BLAST 2.12 evaluates it: erfc(-x / sqrt 2) / 2. */
  static double normalCdf(double x) {
    return 0.5 * erfc(-x / Math.sqrt(2));
  }

  /** erfc(x) for x >= 2.5 by the continued fraction erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))). */
  private static double erfcLarge(double x) {
    // Modified Lentz on K = x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int i = 1; i < 500; i++) {
      double a = i / 2.0;
      d = x + a * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = x + a / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }
}
