"""Dose behind aluminium from a trapped-particle spectrum: energy-loss integration.

Protons slow down along straight paths (continuous slowing-down approximation): a proton of
energy ``E`` that crosses an areal density ``x`` leaves with ``E'`` where
``R(E') = R(E) - x`` (NIST PSTAR CSDA ranges in aluminium) and deposits ``S_Si(E')`` per unit
fluence in a small silicon target (PSTAR stopping power of silicon). Electrons use the
Katz-Penfold practical range in aluminium (it includes the scattering detour that CSDA ignores)
and the Bethe collision stopping power of silicon; the bremsstrahlung they radiate in the shield
is attenuated exponentially. Two geometries: the centre of a spherical shell (every direction
crosses ``x``; SHIELDOSE-2's "solid sphere") and a semi-infinite slab exposed on one side
(direction ``mu`` crosses ``x / mu``).

References
----------
.. [PSTAR] M. J. Berger et al., NIST Standard Reference Database 124 (PSTAR), data in
   ``physics/data/pstar_al_si.csv``.
.. [KP] L. Katz and A. S. Penfold, "Range-energy relations for electrons and the determination of
   beta-ray end-point energies by absorption", Rev. Mod. Phys. 24, 28 (1952), eq. 6-7.
.. [ICRU37] ICRU Report 37, *Stopping Powers for Electrons and Positrons* (1984), eq. 2.1-2.3
   (Bethe collision stopping power of electrons, Rohrlich-Carlson term).
.. [SHIELDOSE] S. M. Seltzer, "Updated calculations for routine space-shielding radiation dose
   estimates: SHIELDOSE-2", NIST IR 5477 (1994) (geometries: solid sphere, slab).
.. [Attix] F. H. Attix, *Introduction to Radiological Physics and Radiation Dosimetry*, Wiley
   (1986), ch. 8 (radiation yield ``Y ~ 6e-4 Z T / (1 + 6e-4 Z T)``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from orbitaldc.constants import (ALUMINIUM_PHOTON_ATTENUATION_CM2_PER_G, ALUMINIUM_Z, BETHE_PREFACTOR_MEV_CM2_PER_MOL,
                                 ELECTRON_REST_ENERGY_MEV, GRAY_PER_RAD, JOULES_PER_MEV, SECONDS_PER_JULIAN_YEAR,
                                 SILICON_A_G_PER_MOL, SILICON_MEAN_EXCITATION_EV,
                                 SILICON_PHOTON_ENERGY_ABSORPTION_CM2_PER_G, SILICON_Z)
from orbitaldc.errors import PhysicsError
from orbitaldc.physics import check_range

__all__ = ["GEOMETRIES", "bremsstrahlung_yield", "dose_rad_per_yr_from_spectrum", "electron_practical_range_g_per_cm2",
           "electron_stopping_power_si_mev_cm2_per_g", "proton_csda_range_g_per_cm2",
           "proton_energy_from_range_mev", "proton_stopping_power_si_mev_cm2_per_g", "rad_per_yr",
           "shielded_energy_mev"]

GEOMETRIES = ("sphere", "slab")
_DATA = Path(__file__).with_name("data") / "pstar_al_si.csv"
#: Gauss-Legendre nodes on mu in (0, 1) for the slab's angular integral (8 points)
_MU, _MU_W = np.polynomial.legendre.leggauss(8)
_MU, _MU_W = 0.5 * (_MU + 1.0), 0.5 * _MU_W
#: Katz-Penfold practical range in Al [KP]: ``R = a E^(b - c ln E)`` [g/cm2] up to the switch energy,
#: ``R = p E - q`` above; energies below the floor are raised to it [MeV]
_KP_LOW = (0.412, 1.265, 0.0954)
_KP_HIGH = (0.530, 0.106)
_KP_SWITCH_MEV = 2.5
_KP_FLOOR_MEV = 1e-3


@lru_cache(maxsize=1)
def _pstar() -> np.ndarray:
    table = np.loadtxt(_DATA, delimiter=",", comments="#", skiprows=7)
    return np.log(table)


def _loglog(x, xs, ys):
    return np.exp(np.interp(np.log(x), xs, ys))


def proton_csda_range_g_per_cm2(energy_mev):
    """CSDA range of protons in aluminium [g/cm2] (log-log interpolation of NIST PSTAR).

    Parameters
    ----------
    energy_mev : array_like
        Proton kinetic energy [MeV], 0.01 to 1000 MeV (clamped to that span).

    Returns
    -------
    ndarray
        Range [g/cm2]; divide by the density (2.70 g/cm3) for a length.

    References
    ----------
    .. [1] NIST PSTAR (Berger et al., NISTIR 4999), aluminium.
    """
    t = _pstar()
    e = np.clip(np.asarray(energy_mev, dtype=float), np.exp(t[0, 0]), np.exp(t[-1, 0]))
    return _loglog(e, t[:, 0], t[:, 2])


def proton_energy_from_range_mev(range_g_per_cm2):
    """Proton energy whose CSDA range in aluminium is ``range_g_per_cm2`` [MeV] (inverse of
    :func:`proton_csda_range_g_per_cm2`).

    Parameters
    ----------
    range_g_per_cm2 : array_like
        Residual range [g/cm2], > 0.

    Returns
    -------
    ndarray
        Kinetic energy [MeV].

    References
    ----------
    .. [1] NIST PSTAR (Berger et al., NISTIR 4999), aluminium.
    """
    t = _pstar()
    r = np.clip(np.asarray(range_g_per_cm2, dtype=float), np.exp(t[0, 2]), np.exp(t[-1, 2]))
    return _loglog(r, t[:, 2], t[:, 0])


def proton_stopping_power_si_mev_cm2_per_g(energy_mev):
    """Total mass stopping power of silicon for protons [MeV cm2/g] (NIST PSTAR).

    Parameters
    ----------
    energy_mev : array_like
        Proton kinetic energy [MeV] (clamped to 0.01-1000 MeV).

    Returns
    -------
    ndarray
        Stopping power [MeV cm2/g].

    References
    ----------
    .. [1] NIST PSTAR (Berger et al., NISTIR 4999), silicon.
    """
    t = _pstar()
    e = np.clip(np.asarray(energy_mev, dtype=float), np.exp(t[0, 0]), np.exp(t[-1, 0]))
    return _loglog(e, t[:, 0], t[:, 3])


def shielded_energy_mev(energy_mev, areal_density_g_per_cm2):
    """Energy of a proton after crossing aluminium, from ``R(E') = R(E) - x`` [MeV] (0 if stopped).

    Parameters
    ----------
    energy_mev : array_like
        Energy before the shield [MeV].
    areal_density_g_per_cm2 : array_like
        Aluminium crossed, ``rho t`` [g/cm2].

    Returns
    -------
    ndarray
        Residual energy [MeV]; 0 where the proton stops in the shield.

    References
    ----------
    .. [1] NIST PSTAR CSDA ranges; Seltzer (1994), SHIELDOSE-2 (straight-ahead slowing down).
    """
    rest = proton_csda_range_g_per_cm2(energy_mev) - np.asarray(areal_density_g_per_cm2, dtype=float)
    return np.where(rest > 0.0, proton_energy_from_range_mev(np.where(rest > 0.0, rest, 1.0)), 0.0)


def electron_practical_range_g_per_cm2(energy_mev):
    """Katz-Penfold practical range of electrons in aluminium [g/cm2].

    Parameters
    ----------
    energy_mev : array_like
        Electron kinetic energy [MeV], > 0.

    Returns
    -------
    ndarray
        ``R = 0.412 E^(1.265 - 0.0954 ln E)`` for E <= 2.5 MeV, ``0.530 E - 0.106`` above [g/cm2].

    References
    ----------
    .. [1] Katz & Penfold (1952), eq. 6 and 7.
    """
    a, b, c = _KP_LOW
    e = np.clip(np.asarray(energy_mev, dtype=float), _KP_FLOOR_MEV, None)
    low = a * e ** (b - c * np.log(e))
    return np.where(e <= _KP_SWITCH_MEV, low, _KP_HIGH[0] * e - _KP_HIGH[1])


def _electron_energy_from_range(range_g_per_cm2):
    grid, ranges = _electron_range_table()
    return np.interp(np.asarray(range_g_per_cm2, dtype=float), ranges, grid)


@lru_cache(maxsize=1)
def _electron_range_table():
    """Energies [MeV] and their Katz-Penfold ranges [g/cm2], tabulated for the inverse relation."""
    grid = np.geomspace(_KP_FLOOR_MEV, 20.0, 400)
    return grid, electron_practical_range_g_per_cm2(grid)


def electron_stopping_power_si_mev_cm2_per_g(energy_mev):
    """Collision stopping power of silicon for electrons [MeV cm2/g] (Bethe, no density effect).

    Parameters
    ----------
    energy_mev : array_like
        Electron kinetic energy [MeV], > 0.

    Returns
    -------
    ndarray
        ``S = K (Z/A) / beta^2 [ln(tau^2 (tau + 2) / (2 (I/mc^2)^2)) + F(tau)]`` with
        ``F = 1 - beta^2 + (tau^2/8 - (2 tau + 1) ln 2) / (tau + 1)^2``, ``tau = E / mc^2``.

    Notes
    -----
    The density-effect correction (a few % at 1-7 MeV in silicon) is omitted.

    References
    ----------
    .. [1] ICRU Report 37 (1984), eq. 2.1-2.3; I(Si) = 173 eV (Table 4.3).
    """
    tau = np.clip(np.asarray(energy_mev, dtype=float), 1e-3, None) / ELECTRON_REST_ENERGY_MEV
    beta2 = 1.0 - 1.0 / (tau + 1.0) ** 2
    i_rel = SILICON_MEAN_EXCITATION_EV * 1e-6 / ELECTRON_REST_ENERGY_MEV
    f = 1.0 - beta2 + (tau ** 2 / 8.0 - (2.0 * tau + 1.0) * np.log(2.0)) / (tau + 1.0) ** 2
    return (BETHE_PREFACTOR_MEV_CM2_PER_MOL * SILICON_Z / SILICON_A_G_PER_MOL / beta2
            * (np.log(tau ** 2 * (tau + 2.0) / (2.0 * i_rel ** 2)) + f))


def bremsstrahlung_yield(energy_mev, atomic_number=ALUMINIUM_Z):
    """Fraction of an electron's energy radiated as bremsstrahlung while it stops.

    Parameters
    ----------
    energy_mev : array_like
        Electron kinetic energy [MeV].
    atomic_number : float
        Atomic number of the absorber (13 for aluminium).

    Returns
    -------
    ndarray
        ``Y = 6e-4 Z T / (1 + 6e-4 Z T)``.

    References
    ----------
    .. [1] Attix (1986), ch. 8 (approximate radiation yield, after Koch & Motz 1959).
    """
    x = 6e-4 * float(atomic_number) * np.asarray(energy_mev, dtype=float)
    return x / (1.0 + x)


def rad_per_yr(mev_per_g_s):
    """Convert an energy deposition rate [MeV/g/s] to a dose rate [rad/yr].

    Parameters
    ----------
    mev_per_g_s : array_like
        Energy per gram per second [MeV g-1 s-1].

    Returns
    -------
    ndarray
        ``x 1.602e-13 J/MeV x 1000 g/kg / 0.01 Gy/rad x 3.156e7 s/yr`` [rad/yr].

    References
    ----------
    .. [1] SI brochure (2019): 1 eV = 1.602176634e-19 J; 1 rad = 0.01 Gy.
    """
    return np.asarray(mev_per_g_s, dtype=float) * JOULES_PER_MEV * 1e3 / GRAY_PER_RAD * SECONDS_PER_JULIAN_YEAR


def _differential(energy_mev, integral_flux, query_mev):
    """Differential flux ``-dJ/dE`` at ``query_mev`` (..., m) from an integral spectrum (..., n).

    Power law between table energies (``J ~ E^-gamma``, so ``-dJ/dE = gamma J / E``); a segment
    that ends at zero flux falls linearly. Zero outside the table. One compiled pass
    (:func:`orbitaldc.physics._kernels.differential_flux`), no broadcast temporaries.
    """
    from orbitaldc.physics import _kernels

    e = np.ascontiguousarray(energy_mev, dtype=float)
    j = np.asarray(integral_flux, dtype=float)
    q = np.asarray(query_mev, dtype=float)
    lead = np.broadcast_shapes(j.shape[:-1], q.shape[:-1])
    if 0 in lead + q.shape[-1:]:
        return np.zeros(lead + q.shape[-1:])
    jj = np.ascontiguousarray(np.broadcast_to(j, lead + (e.size,)).reshape(-1, e.size))
    qq = np.ascontiguousarray(np.broadcast_to(q, lead + q.shape[-1:]).reshape(-1, q.shape[-1]))
    return _kernels.differential_flux(e, np.log(e[1:] / e[:-1]), jj, qq).reshape(lead + q.shape[-1:])


#: exit energies of the change of variables ``E -> E'`` [MeV] (64 log-spaced points)
_EXIT_MEV = np.geomspace(0.01, 400.0, 64)
#: incident energies for the bremsstrahlung integral [MeV]
_BREMS_MEV = np.geomspace(0.04, 7.0, 48)
#: incident energy given to protons whose range exceeds the PSTAR table's (beyond every spectrum) [MeV]
_BEYOND_TABLE_MEV = 1e4


def _electron_range_slope(energy_mev):
    """dR/dE of the Katz-Penfold range [g/cm2/MeV]."""
    _, b, c = _KP_LOW
    e = np.clip(np.asarray(energy_mev, dtype=float), _KP_FLOOR_MEV, None)
    return np.where(e <= _KP_SWITCH_MEV, electron_practical_range_g_per_cm2(e) / e * (b - 2 * c * np.log(e)),
                    _KP_HIGH[0])


@lru_cache(maxsize=1)
def _proton_exit_tables():
    """At each exit energy: range in Al, ``ln S_Al``, ``S_Si``; the range beyond the table, the clamp
    span of the ranges and ``ln`` PSTAR (for the kernel)."""
    t, ep = _pstar(), _EXIT_MEV
    return (ep, proton_csda_range_g_per_cm2(ep), np.interp(np.log(ep), t[:, 0], t[:, 1]),
            proton_stopping_power_si_mev_cm2_per_g(ep), float(proton_csda_range_g_per_cm2(1000.0)),
            float(np.exp(t[0, 2])), float(np.exp(t[-1, 2])),
            np.ascontiguousarray(t))


@lru_cache(maxsize=1)
def _electron_exit_tables():
    """At each exit energy up to the bremsstrahlung span: range, its slope, ``S_Si``; the range
    table of the inverse; the Katz-Penfold constants; the bremsstrahlung energies and yields."""
    epe = _EXIT_MEV[_EXIT_MEV <= _BREMS_MEV[-1]]
    grid, ranges = _electron_range_table()
    kp = np.array([*_KP_LOW, _KP_SWITCH_MEV, _KP_HIGH[0], _KP_FLOOR_MEV])
    return (epe, electron_practical_range_g_per_cm2(epe), _electron_range_slope(epe),
            electron_stopping_power_si_mev_cm2_per_g(epe), ranges, grid, kp, _BREMS_MEV,
            bremsstrahlung_yield(_BREMS_MEV), -ALUMINIUM_PHOTON_ATTENUATION_CM2_PER_G,
            SILICON_PHOTON_ENERGY_ABSORPTION_CM2_PER_G)


def _mev_per_g_s(particle, energy_mev, integral_flux, x, slab):
    """Energy deposition rate (...,) [MeV/g/s] behind areal density x (...,), one compiled pass
    per row (:mod:`orbitaldc.physics._dose_kernels`).

    The integral over incident energy ``E`` is taken over the exit energy ``E'`` instead, with
    ``dE / dE' = S(E) / S(E')`` (``S = 1 / (dR/dE)`` of the range relation): smooth integrand, no
    cut-off inside the grid.
    """
    from orbitaldc.physics import _dose_kernels

    e = np.ascontiguousarray(energy_mev, dtype=float)
    shape = x.shape
    if 0 in shape:
        return np.zeros(shape)
    flux = np.ascontiguousarray(np.broadcast_to(integral_flux, shape + e.shape).reshape(-1, e.size))
    xs = np.ascontiguousarray(x, dtype=float).reshape(-1)
    if particle == "p":
        if not _BEYOND_TABLE_MEV > e[-1]:  # the kernel extends each range beyond the spectrum's last energy
            raise PhysicsError(f"energy_mev reaches {e[-1]:g} MeV: the proton spectrum must end below "
                               f"{_BEYOND_TABLE_MEV:g} MeV")
        out = _dose_kernels.proton_dose(e, flux, xs, _MU, _MU_W, slab, *_proton_exit_tables())
    else:
        out = _dose_kernels.electron_dose(e, flux, xs, _MU, _MU_W, slab, *_electron_exit_tables())
    return out.reshape(shape)


def dose_rad_per_yr_from_spectrum(particle, energy_mev, integral_flux_per_cm2_s, areal_density_g_per_cm2,
                                  geometry="sphere"):
    """Dose rate in silicon behind aluminium from an omnidirectional integral spectrum [rad(Si)/yr].

    Parameters
    ----------
    particle : {"p", "e"}
        Protons or electrons.
    energy_mev : array_like
        Energies of the integral spectrum, ascending, shape (n,) [MeV].
    integral_flux_per_cm2_s : array_like
        Omnidirectional integral flux above each energy, shape (..., n) [cm-2 s-1].
    areal_density_g_per_cm2 : array_like
        Aluminium areal density ``rho t`` [g/cm2], broadcasting with the spectrum's leading shape.
    geometry : {"sphere", "slab"}
        Centre of a spherical shell, or behind a semi-infinite slab exposed on one side.

    Returns
    -------
    ndarray
        Dose rate [rad(Si)/yr].

    Notes
    -----
    Sphere: ``D(x) = integral f(E) S_Si(E'(E, x)) dE`` with ``f = -dJ/dE``, evaluated over the exit
    energy ``E'`` (``dE/dE' = S_Al(E)/S_Al(E')``, 64 log-spaced points); electrons add the
    bremsstrahlung ``integral f(E) E Y(E)/2 dE exp(-mu x) mu_en``;
    slab: ``D(x) = 1/2 integral_0^1 D_sphere(x / mu) dmu`` (isotropic flux from one hemisphere,
    8-point Gauss-Legendre).

    References
    ----------
    .. [1] Seltzer (1994), SHIELDOSE-2 geometries; PSTAR; Katz & Penfold (1952); ICRU 37.
    """
    if particle not in ("p", "e"):
        raise ValueError(f"particle = {particle!r}; allowed: 'p', 'e'")
    if geometry not in GEOMETRIES:
        raise ValueError(f"geometry = {geometry!r}; allowed: {', '.join(GEOMETRIES)}")
    if np.ndim(energy_mev) != 1 or np.size(energy_mev) == 0:  # the compiled pass takes one axis of energies
        raise PhysicsError(f"energy_mev has shape {np.shape(energy_mev)}; allowed: one axis of ascending energies "
                           "(n,), n >= 1 [MeV]")
    x = check_range(areal_density_g_per_cm2, "areal_density_g_per_cm2", 0.0, np.inf, "g/cm2")
    j = np.asarray(integral_flux_per_cm2_s, dtype=float)
    x = np.broadcast_to(x, np.broadcast_shapes(x.shape, j.shape[:-1]))
    return rad_per_yr(_mev_per_g_s(particle, energy_mev, j, x, geometry == "slab"))
