#!/usr/bin/python3
"""Independent expected values for tests/core/test-ab.c (run by hand; its output is pasted
into the test).

P(B beats A) under uniform priors is computed exactly with fractions, by a route other than
the C code's: the Beta(a, b) CDF at integer parameters is a binomial tail,
I_x(a, b) = P(Binomial(a + b - 1, x) >= a), so P(pB > pA) = integral of f_B(x) I_x(aA, bA)
is a sum of Beta integrals of polynomials, each m! n! / (m + n + 1)!. When Debian's
python3-scipy is installed, the same value is also checked by numerical integration.
The sample size is the normal approximation for two proportions (one-sided 5 %, 80 % power),
with the quantiles from statistics.NormalDist."""

from fractions import Fraction
from math import comb, factorial, ceil
from statistics import NormalDist


def beta_integral(m, n):
    """Integral over [0, 1] of x^m (1 - x)^n."""
    return Fraction(factorial(m) * factorial(n), factorial(m + n + 1))


def prob_b_better(n_a, paid_a, n_b, paid_b):
    a_a, b_a = 1 + paid_a, 1 + n_a - paid_a
    a_b, b_b = 1 + paid_b, 1 + n_b - paid_b
    big_n = a_a + b_a - 1
    norm_b = beta_integral(a_b - 1, b_b - 1)
    total = Fraction(0)
    # P(pA < x) = sum_{j >= a_a} C(N, j) x^j (1-x)^(N-j)
    for j in range(a_a, big_n + 1):
        total += comb(big_n, j) * beta_integral(a_b - 1 + j, b_b - 1 + big_n - j)
    return total / norm_b


def sample_size(p1, p2):
    z = NormalDist().inv_cdf(0.95) + NormalDist().inv_cdf(0.80)
    return ceil(z * z * (p1 * (1 - p1) + p2 * (1 - p2)) / (p1 - p2) ** 2)


CASES = [(10, 3, 10, 7), (12, 4, 9, 3), (0, 0, 0, 0), (50, 20, 50, 30), (100, 40, 120, 70),
         (200, 90, 200, 88), (5, 5, 5, 0)]

if __name__ == "__main__":
    try:
        from scipy import integrate, stats
    except ImportError:
        stats = None
    for case in CASES:
        exact = prob_b_better(*case)
        line = "%s: %.12f" % (case, float(exact))
        if stats is not None:
            n_a, paid_a, n_b, paid_b = case
            a = stats.beta(1 + paid_a, 1 + n_a - paid_a)
            b = stats.beta(1 + paid_b, 1 + n_b - paid_b)
            numeric, _ = integrate.quad(lambda x: b.pdf(x) * a.cdf(x), 0, 1, epsabs=1e-13,
                                        limit=200)
            line += "  (scipy quad: %.12f)" % numeric
        print(line)
    for p1, p2 in ((0.5, 0.65), (0.2, 0.35), (0.1, 0.25), (0.85, 0.7), (0.3, 0.45)):
        print("n(%.2f, %.2f) = %d" % (p1, p2, sample_size(p1, p2)))
