#!/usr/bin/python3
"""Derives the polynomial coefficients of src/simd/vector_math_inl.hpp (near-minimax fits at
Chebyshev nodes, mpmath.chebyfit, 60 significant digits) and prints each set rounded to double
together with the largest relative error of the rounded polynomial on its interval (mpmath,
dense grid). Run: /usr/bin/python3 src/simd/vector_math_coefficients.py
The reductions the fits assume are described in vector_math_inl.hpp."""
import mpmath as mp

mp.mp.dps = 60


def rounded(coeffs):
    # mpmath gives the highest degree first; double-rounded, lowest degree first.
    return [mp.mpf(float(c)) for c in reversed(coeffs)]


def poly(cs, t):
    acc = mp.mpf(0)
    for c in reversed(cs):
        acc = acc * t + c
    return acc


def fit(name, f, a, b, degree, weight=None):
    coeffs, _ = mp.chebyfit(f, [a, b], degree + 1, error=True)
    cs = rounded(coeffs)
    worst = mp.mpf(0)
    for i in range(4001):
        t = a + (b - a) * i / 4000
        ref = f(t)
        if ref == 0:
            continue
        err = abs(poly(cs, t) - ref)
        # Relative to what the error is added to (weight(t)), else to the value itself.
        worst = max(worst, err / abs(weight(t) if weight else ref))
    print(f"// {name}: degree {degree} on [{mp.nstr(a, 8)}, {mp.nstr(b, 8)}], "
          f"max error {mp.nstr(worst, 3)}")
    for c in cs:
        print(f"    {float(c).hex()},  // {mp.nstr(c, 17)}")


def small(f, t, series0):
    # f near 0 loses digits in mpmath too: use the series value there.
    return series0 if abs(t) < mp.mpf("1e-30") else f(t)


# exp(r) = 1 + r + r^2 q(r), |r| <= ln2/2 (reduction x = n ln2 + r); error relative to exp(r).
h = mp.log(2) / 2 * (1 + mp.mpf("1e-9"))
fit("exp q(r) = (e^r - 1 - r)/r^2", lambda r: small(lambda t: (mp.exp(t) - 1 - t) / t**2, r, mp.mpf(1) / 2),
    -h, h, 10, weight=lambda r: mp.exp(r) / r**2 if r != 0 else mp.mpf(1e30))

# log(1+f) = 2 atanh(s), s = f/(2+f), |s| <= (sqrt2-1)/(sqrt2+1); 2 atanh(s) = 2s + s*T(z),
# z = s^2, T(z) = z*P(z).
smax = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1) * (1 + mp.mpf("1e-6"))
fit("log P(z) = (2 atanh(s)/s - 2)/z", lambda z: small(lambda t: (2 * mp.atanh(mp.sqrt(t)) / mp.sqrt(t) - 2) / t, z, mp.mpf(2) / 3),
    mp.mpf(0), smax**2, 7)

# sin(r) = r + r z S(z), cos(r) = 1 - z/2 + z^2 C(z), z = r^2, |r| <= pi/4.
zmax = (mp.pi / 4 * (1 + mp.mpf("1e-6")))**2
fit("sin S(z) = (sin(r)/r - 1)/z", lambda z: small(lambda t: (mp.sin(mp.sqrt(t)) / mp.sqrt(t) - 1) / t, z, -mp.mpf(1) / 6),
    mp.mpf(0), zmax, 6)
fit("cos C(z) = (cos(r) - 1 + z/2)/z^2", lambda z: small(lambda t: (mp.cos(mp.sqrt(t)) - 1 + t / 2) / t**2, z, mp.mpf(1) / 24),
    mp.mpf(0), zmax, 6)

# cbrt(m), m in [1, 2]: only a first guess (refined in double arithmetic afterwards).
fit("cbrt guess", lambda m: mp.cbrt(m), mp.mpf(1), mp.mpf(2), 6)

# Splits of the reduction constants (Cody-Waite): high parts with trailing zero bits so that
# their product with the reduction integer is exact.
def split(name, value, bits_list):
    rest = value
    for bits in bits_list:
        e = mp.floor(mp.log(abs(rest), 2))
        q = mp.mpf(2) ** (e - bits + 1)
        part = mp.nint(rest / q) * q if bits < 53 else mp.mpf(float(rest))
        print(f"// {name} part ({bits} bits): {float(part).hex()}  // {mp.nstr(part, 20)}")
        rest -= part
    print(f"//   remainder {mp.nstr(rest, 5)}")

split("ln2", mp.log(2), [42, 53])
split("log10(2)", mp.log10(2), [42, 53])
split("1/ln10", 1 / mp.log(10), [32, 53])
split("pi/2", mp.pi / 2, [33, 33, 33, 53])
print(f"// 1/ln2 {float(1 / mp.log(2)).hex()}  2/pi {float(2 / mp.pi).hex()}")
print(f"// cbrt2 {float(mp.cbrt(2)).hex()}  cbrt4 {float(mp.cbrt(4)).hex()}")
