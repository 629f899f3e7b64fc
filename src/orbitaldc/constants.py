"""Cited physical constants (SI units).

Physical constants are facts, not assumptions, so they live here rather than in the parameter
library; every engineering default (efficiencies, specific masses, prices) lives in
``params/data/*.toml`` with its source.

References
----------
.. [CODATA] E. Tiesinga et al., "CODATA recommended values of the fundamental physical
   constants: 2018", Rev. Mod. Phys. 93, 025010 (2021).
.. [WGS84] NIMA TR8350.2, "Department of Defense World Geodetic System 1984", 3rd ed. (2000).
.. [EGM96] F. G. Lemoine et al., "The Development of the Joint NASA GSFC and NIMA Geopotential
   Model EGM96", NASA/TP-1998-206861 (J2 = -C20 x sqrt(5)).
.. [IAU2012] IAU 2012 Resolution B2 (astronomical unit); IAU 2015 Resolution B3 (nominal solar
   radius).
.. [Kopp2011] G. Kopp and J. L. Lean, "A new, lower value of total solar irradiance: Evidence
   and climate significance", Geophys. Res. Lett. 38, L01706 (2011): 1360.8 +/- 0.5 W/m2.
.. [Vallado] D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. (2013),
   sec. 3.5 (Julian date), sec. 9.6 (sun-synchronous orbits).
"""

from __future__ import annotations

import math

#: Stefan-Boltzmann constant [W m^-2 K^-4] (CODATA 2018, exact since the 2019 SI).
STEFAN_BOLTZMANN_W_PER_M2_K4 = 5.670374419e-8
#: Boltzmann constant [J/K] (CODATA 2018, exact).
BOLTZMANN_J_PER_K = 1.380649e-23
#: Speed of light in vacuum [m/s] (exact).
SPEED_OF_LIGHT_M_PER_S = 299_792_458.0
#: Standard acceleration of gravity [m/s^2] (3rd CGPM, 1901), used by the rocket equation.
STANDARD_GRAVITY_M_PER_S2 = 9.80665

#: Earth gravitational parameter GM [m^3/s^2] (WGS84, includes the atmosphere).
EARTH_MU_M3_PER_S2 = 3.986004418e14
#: Earth equatorial radius [m] (WGS84 semi-major axis).
EARTH_RADIUS_M = 6_378_137.0
#: Earth second zonal harmonic J2 [-] (EGM96: C20 = -4.84165371736e-4).
EARTH_J2 = 1.08262668e-3
#: Earth rotation rate [rad/s] (WGS84).
EARTH_ROTATION_RAD_PER_S = 7.292115e-5
#: Earth flattening [-] (WGS84, NIMA TR8350.2, 3rd ed., table 3.1), for geodetic stations.
EARTH_FLATTENING = 1.0 / 298.257223563

#: Astronomical unit [m] (IAU 2012, exact).
AU_M = 149_597_870_700.0
#: Nominal solar radius [m] (IAU 2015 Resolution B3).
SUN_RADIUS_M = 6.957e8
#: Total solar irradiance at 1 AU [W/m2] (Kopp & Lean 2011, SORCE/TIM, rounded).
SOLAR_CONSTANT_W_PER_M2 = 1361.0

#: Mean obliquity of the ecliptic at J2000 [rad] (23.43929111 deg; Montenbruck & Gill eq. 3.43).
OBLIQUITY_J2000_RAD = math.radians(23.43929111)
#: Julian date of the J2000.0 epoch (2000-01-01 12:00 TT).
JD_J2000 = 2_451_545.0
#: Seconds per day.
SECONDS_PER_DAY = 86_400.0
#: Days per Julian century.
DAYS_PER_JULIAN_CENTURY = 36_525.0
#: Julian year [s] (IAU: 365.25 days).
SECONDS_PER_JULIAN_YEAR = 365.25 * 86_400.0
#: Tropical year [days] (Vallado sec. 3.5; the sun's mean motion sets sun-synchronous precession).
TROPICAL_YEAR_DAYS = 365.2421897
#: Mean motion of the mean sun [rad/s]; the nodal rate of a sun-synchronous orbit.
SUN_MEAN_MOTION_RAD_PER_S = 2.0 * math.pi / (TROPICAL_YEAR_DAYS * 86_400.0)

#: Lowest altitude orbitaldc accepts [m]: below ~150 km a satellite re-enters within hours to
#: days (Wertz & Larson, SMAD 3rd ed., Table 8-4 lifetimes), so no data center can live there.
MIN_ORBIT_ALTITUDE_M = 150_000.0

#: Electron rest energy [MeV] (CODATA 2018: 0.51099895000 MeV).
ELECTRON_REST_ENERGY_MEV = 0.51099895
#: ``2 pi N_A r_e^2 m_e c^2`` [MeV cm2/mol], the prefactor of the Bethe stopping-power formula
#: (ICRU Report 37 (1984), eq. 2.1; from CODATA 2018 r_e, m_e c^2 and N_A).
BETHE_PREFACTOR_MEV_CM2_PER_MOL = 0.153537
#: Energy of one MeV [J] (exact, SI 2019 elementary charge).
JOULES_PER_MEV = 1.602176634e-13
#: One rad in gray (100 erg/g = 0.01 J/kg, exact by definition).
GRAY_PER_RAD = 0.01
#: Atomic number and mean excitation energy [eV] of silicon and aluminium (ICRU Report 37 (1984),
#: Table 4.3: I(Si) = 173 eV, I(Al) = 166 eV); standard atomic weights (IUPAC 2013).
SILICON_Z = 14.0
SILICON_A_G_PER_MOL = 28.0855
SILICON_MEAN_EXCITATION_EV = 173.0
ALUMINIUM_Z = 13.0
ALUMINIUM_A_G_PER_MOL = 26.9815385
#: Photon mass attenuation coefficient of aluminium and mass energy-absorption coefficient of
#: silicon at 0.5 MeV [cm2/g] (J. H. Hubbell and S. M. Seltzer, NIST Standard Reference Database
#: 126, "Tables of X-Ray Mass Attenuation Coefficients and Mass Energy-Absorption Coefficients"
#: (2004): Al 0.08445; Si mu_en/rho 0.02966), used for the bremsstrahlung of trapped electrons.
ALUMINIUM_PHOTON_ATTENUATION_CM2_PER_G = 0.08445
SILICON_PHOTON_ENERGY_ABSORPTION_CM2_PER_G = 0.02966
