"""Exact maximum error of the equispaced interpolant of Runge's function, n = 65.

Reference for TestRungeFig2 and the fig2 notebook. Newton divided differences in
rational arithmetic (no rounding at all), evaluated on the 2001-point evaluation
grid of fig2 and then on a fine grid around the largest error.
Run: python3 runge_exact.py   (takes about a minute)
Printed here: grid max 1.0783e+09 at x = 0.99400; refined max 1.0786e+09 at |x| = 0.99386.
"""
from fractions import Fraction as F

n = 65
xs = [F(2 * j - (n - 1), n - 1) for j in range(n)]
f = lambda x: 1 / (1 + 25 * x * x)
c = [f(x) for x in xs]
for k in range(1, n):
    for i in range(n - 1, k - 1, -1):
        c[i] = (c[i] - c[i - 1]) / (xs[i] - xs[i - k])


def p(x):
    v = c[-1]
    for i in range(n - 2, -1, -1):
        v = v * (x - xs[i]) + c[i]
    return v


def err(x):
    return abs(float(p(x) - f(x)))


grid = [F(2 * k - 2000, 2000) for k in range(2001)]
e, x = max((err(x), x) for x in grid if abs(x) >= F(9, 10))
print("grid max %.5g at x = %.5f" % (e, float(x)))
fine = [F(99300 + k, 100000) for k in range(201)]
e, x = max((err(x), x) for x in fine)
print("refined max %.5g at |x| = %.5f" % (e, float(x)))
