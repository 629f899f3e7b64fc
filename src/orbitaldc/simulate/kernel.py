"""The chunk step compiled with numba: the same physics as :func:`steps.numpy_chunk`, fused.

One loop per satellite over the chunk's steps carries the battery, thermal node and restart
debt in registers and computes, step by step, the orbit (circular Kepler + J2, or given SGP4
positions), the conical shadow, array power, GPU failures, the SAA and the node interruptions
(events drawn per chunk, thinned here), the recursion and the station visibility, adding into
per-step sums. Nothing of size satellites x steps is
kept except, for direct downlink, each satellite's visible stations (a bit mask) and its
results. The recursion's physics is the very functions of :mod:`orbitaldc.physics` (compiled
with ``numba.njit``); the orbit, shadow, SAA and visibility follow the NumPy functions' formulas
term for term, so the two paths agree to rounding (tests compare them to 1e-9).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from orbitaldc.constants import AU_M, EARTH_RADIUS_M, SECONDS_PER_JULIAN_YEAR, SUN_RADIUS_M
from orbitaldc.physics import battery as _battery
from orbitaldc.physics import thermal as _thermal
from orbitaldc.simulate import faults, links, propagate
from orbitaldc.simulate.design import values_float
from orbitaldc.simulate.plan import Setup
from orbitaldc.simulate.steps import POINTING, SUMS, ChunkInputs, ChunkSums, Constants, TwinState, in_view, positions

_JIT = dict(cache=True, error_model="numpy")
_battery_step = numba.njit(**_JIT)(_battery.battery_step)
_node_step = numba.njit(**_JIT)(_thermal.lumped_node_step)
_throttle = numba.njit(**_JIT)(_thermal.throttle_factor)
_debt_step = numba.njit(**_JIT)(faults.restart_debt_step)
(_ILLUM, _ALIVE, _ARRAY, _LOAD, _SOC, _TEMP, _DIE, _ACTIVE, _COMPUTE, _SHORT, _THROTTLE, _RESTART, _CKPT, _HITS,
 _SAA, _CONTACT) = range(len(SUMS))
#: Names of the scalar parameters the kernel reads, in the order of its ``p`` vector.
PARAMS = ("dt", "coefficient_w", "t_op_k", "t_ref_k", "gamma_per_k", "health_loss", "gpus", "compute_w", "bus_w",
          "cap_j", "emin_j", "eta", "die_rise_k", "die_limit_k", "band_k", "area_m2", "emittance", "q_sun", "q_dark",
          "heat_capacity", "tau_s", "restart_s", "ckpt", "outside_rate", "inside_rate", "saa_lat", "saa_lon",
          "saa_half_lat", "saa_half_lon", "sin2_el", "bytes_per_j", "never_yr", "mitigation", "sunlit_r2", "umbra_r2")
#: Margin of the cheap "fully sunlit" test before the exact conical formula is evaluated.
_SUNLIT_MARGIN = 1e-9
#: Latitude bins of the station pre-selection (:func:`station_bins`), uniform in sin(latitude).
STATION_BINS = 64
#: Upper bound of the sun's angular radius seen from near the Earth, ``R_sun / (0.983 AU - r)``
#: rounded up (perihelion 0.9833 AU) [rad].
SUN_ANGULAR_RADIUS_BOUND = 0.00475
#: Extra width of the shadow and station pre-selections beyond their geometric bounds [m] and
#: [rad] (the exact tests decide every case inside them).
SHADOW_MARGIN_M = 10.0e3
STATION_MARGIN_RAD = 0.01


@numba.njit(**_JIT)
def _shadow(rx, ry, rz, sx, sy, sz, ux, uy, uz, sunlit_r2, umbra_r2):
    """Hidden fraction of the solar disc (:func:`orbitaldc.physics.orbit.shadow_fraction`).

    Two cheap tests first: the sun more than 90 deg from the Earth's centre; then the distance
    from the Earth-sun axis (``u`` the unit vector to the sun) against a cylinder outside the
    penumbra (sunlit) and, behind the Earth, one inside the umbra (:func:`shadow_bounds`); the
    exact formula gives exactly 0 and 1 there too.
    """
    rr = rx * rx + ry * ry + rz * rz
    if rx * sx + ry * sy + rz * sz > rr:  # the sun more than 90 deg from the Earth's centre: c > a + b
        return 0.0
    along = rx * ux + ry * uy + rz * uz
    perp2 = rr - along * along
    if perp2 > sunlit_r2:
        return 0.0
    if along < 0.0 and perp2 < umbra_r2:
        return 1.0
    rn = math.sqrt(rr)
    dx, dy, dz = sx - rx, sy - ry, sz - rz
    dn = math.sqrt(dx * dx + dy * dy + dz * dz)
    sa = min(max(SUN_RADIUS_M / dn, 0.0), 1.0)
    sb = min(max(EARTH_RADIUS_M / rn, 0.0), 1.0)
    cos_c = min(max(-(rx * dx + ry * dy + rz * dz) / (rn * dn), -1.0), 1.0)
    # c >= a + b (sunlit) <=> cos c <= cos(a + b), and c <= b - a (umbra) <=> cos c >= cos(b - a):
    # beyond a margin the exact formula below gives exactly 0 and 1 too
    ca, cb = math.sqrt(1.0 - sa * sa), math.sqrt(1.0 - sb * sb)
    if cos_c < ca * cb - sa * sb - _SUNLIT_MARGIN:
        return 0.0
    if sb > sa and cos_c > ca * cb + sa * sb + _SUNLIT_MARGIN:
        return 1.0
    a = math.asin(sa)
    b = math.asin(sb)
    c = math.acos(cos_c)
    if c >= a + b:
        out = 0.0
    elif c <= b - a:
        out = 1.0
    elif c <= a - b:
        out = (b * b) / (a * a)
    else:
        x = (c * c + a * a - b * b) / (2.0 * c)
        y = math.sqrt(max(a * a - x * x, 0.0))
        area = (a * a * math.acos(min(max(x / a, -1.0), 1.0)) + b * b * math.acos(min(max((c - x) / b, -1.0), 1.0))
                - c * y)
        out = area / (math.pi * a * a)
    return min(max(out, 0.0), 1.0)


def shadow_bounds(r_max_m: float) -> tuple[float, float]:
    """Squared radii of the shadow pre-selection cylinders around the Earth-sun axis [m2].

    Parameters
    ----------
    r_max_m : float
        Largest distance of a satellite from the Earth's centre in the chunk [m].

    Returns
    -------
    (sunlit_r2, umbra_r2) : tuple of float
        A satellite farther than ``R + w`` from the axis is fully sunlit; one behind the Earth
        nearer than ``R - w`` is in the umbra, with ``w = r_max (sin a + r_max / 0.983 AU) +
        margin`` covering the cones' widening over ``r_max`` (sun angular radius ``a``) and the
        sun's parallax: on the night side ``c >= a + b`` needs ``d >= R cos a + sqrt(r^2 - R^2)
        sin a`` and ``c <= b - a`` needs ``d <= R cos a - sqrt(r^2 - R^2) sin a``.

    References
    ----------
    .. [1] O. Montenbruck and E. Gill, *Satellite Orbits*, Springer (2000), sec. 3.4.2.
    """
    w = r_max_m * (SUN_ANGULAR_RADIUS_BOUND + r_max_m / (0.983 * AU_M)) + SHADOW_MARGIN_M
    return (EARTH_RADIUS_M + w) ** 2, max(EARTH_RADIUS_M - w, 0.0) ** 2


def station_bins(st_ecef, lat_rad, lon_rad, r_max_m: float, min_elevation_rad: float):
    """Candidate stations per band of satellite latitude, ``(STATION_BINS, S)`` and counts.

    Parameters
    ----------
    st_ecef : ndarray
        ``(S, 3)`` station positions [m].
    lat_rad, lon_rad : ndarray
        ``(S,)`` geodetic coordinates (for the tilt of the local vertical).
    r_max_m : float
        Largest satellite radius of the chunk [m].
    min_elevation_rad : float
        Lowest usable elevation [rad].

    Returns
    -------
    (lists, counts) : (ndarray of int, ndarray of int)
        Band ``j`` spans ``sin(lat)`` in ``[-1 + 2j/B, -1 + 2(j+1)/B]``; its stations are those
        whose geocentric latitude lies within ``lambda`` of the band, ``lambda`` the Earth
        central angle of the visibility circle for the nearest station to the centre and the
        farthest satellite, plus the tilt of the geodetic vertical and a margin: a satellite
        sees no other station (the central angle is at least the latitude difference).

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), eq. 5-15 to 5-17 (Earth central angle).
    """
    n_st = st_ecef.shape[0]
    lists = np.zeros((STATION_BINS, max(n_st, 1)), dtype=np.int64)
    counts = np.zeros(STATION_BINS, dtype=np.int64)
    if n_st == 0:
        return lists, counts
    g = np.linalg.norm(st_ecef, axis=-1)
    geo_lat = np.arcsin(st_ecef[:, 2] / g)
    tilt = float(np.max(np.abs(np.asarray(lat_rad, dtype=float) - geo_lat)))
    ratio = min(float(g.min()) * math.cos(min_elevation_rad) / r_max_m, 1.0)
    lam = math.acos(ratio) - min_elevation_rad + tilt + STATION_MARGIN_RAD
    edges = np.arcsin(np.clip(-1.0 + 2.0 * np.arange(STATION_BINS + 1) / STATION_BINS, -1.0, 1.0))
    for j in range(STATION_BINS):
        ok = np.flatnonzero((geo_lat >= edges[j] - lam) & (geo_lat <= edges[j + 1] + lam))
        lists[j, :ok.size] = ok
        counts[j] = ok.size
    return lists, counts


@numba.njit(**_JIT)
def _in_saa(x, y, z, r_inv, lat_lo, lat_hi, cos_lon0, sin_lon0, cos_half_lon, lat0, lon0, half_lat, half_lon):
    """SAA ellipse test of an Earth-fixed position (:func:`steps.in_saa`).

    Outside the latitude band (``sin(lat) = z / r``) or the longitude wedge (``cos(dlon)`` from
    a dot product, compared squared) the answer is False without the arc tangents; the bounds
    carry a margin, so the exact test decides every case near an edge.
    """
    if z * r_inv < lat_lo or z * r_inv > lat_hi:  # r_inv: 1 / |r| to ~1e-15, well inside the margin
        return False
    if half_lon < math.pi:
        dot = x * cos_lon0 + y * sin_lon0
        c = cos_half_lon - 1e-12
        rho2 = x * x + y * y
        # dot < c |rho| (outside the wedge), without the square root
        if c >= 0.0:
            if dot < 0.0 or dot * dot < c * c * rho2:
                return False
        elif dot < 0.0 and dot * dot > c * c * rho2:
            return False
    dlat = math.atan2(z, math.hypot(x, y)) - lat0
    dlon = (math.atan2(y, x) - lon0 + math.pi) % (2.0 * math.pi) - math.pi
    r2 = (dlat / half_lat) ** 2 + (dlon / half_lon) ** 2
    return r2 <= 1.0  # nan (zero extents) compares False


@numba.njit(**_JIT)
def _chunk(kepler, a, inv_a, cos_inc_, sin_inc_, cos_u0, sin_u0, rate_group, cos_theta, sin_theta, plane, cos_raan, sin_raan,
           pos, vel, t_s, t_yr, sun, sun_unit, cos_gmst, sin_gmst, degr,
           ev_step, ev_sat, ev_u, ev_rb, bus_step, bus_sat,
           gpu_fail, sat_fail, st_ecef, st_up, st_lists, st_counts, pointing, direct, k0, p, battery, node, debt,
           bus_count, sums, station_seen, vismask, generated):
    P_dt = p[0]
    P_coefficient_w = p[1]
    P_t_op_k = p[2]
    P_t_ref_k = p[3]
    P_gamma_per_k = p[4]
    P_health_loss = p[5]
    P_gpus = p[6]
    P_compute_w = p[7]
    P_bus_w = p[8]
    P_cap_j = p[9]
    P_emin_j = p[10]
    P_eta = p[11]
    P_die_rise_k = p[12]
    P_die_limit_k = p[13]
    P_band_k = p[14]
    P_area_m2 = p[15]
    P_emittance = p[16]
    P_q_sun = p[17]
    P_q_dark = p[18]
    P_heat_capacity = p[19]
    P_tau_s = p[20]
    P_restart_s = p[21]
    P_ckpt = p[22]
    P_outside_rate = p[23]
    P_inside_rate = p[24]
    P_saa_lat = p[25]
    P_saa_lon = p[26]
    P_saa_half_lat = p[27]
    P_saa_half_lon = p[28]
    P_sin2_el = p[29]
    P_bytes_per_j = p[30]
    P_never_yr = p[31]
    P_mitigation = p[32]
    P_sunlit_r2 = p[33]
    P_umbra_r2 = p[34]
    steps = t_s.shape[0]
    n = sat_fail.shape[0]
    n_st = st_ecef.shape[0]
    n_ev = ev_step.shape[0]
    n_bus = bus_step.shape[0]
    g = gpu_fail.shape[1]
    dt = P_dt
    half_bins = 0.5 * st_counts.shape[0]
    top_bin = st_counts.shape[0] - 1
    st_gu = np.empty(n_st)
    st_gg = np.empty(n_st)
    for s in range(n_st):
        st_gu[s] = st_ecef[s, 0] * st_up[s, 0] + st_ecef[s, 1] * st_up[s, 1] + st_ecef[s, 2] * st_up[s, 2]
        st_gg[s] = st_ecef[s, 0] ** 2 + st_ecef[s, 1] ** 2 + st_ecef[s, 2] ** 2
    cos_lon0, sin_lon0, cos_half_lon = math.cos(P_saa_lon), math.sin(P_saa_lon), math.cos(P_saa_half_lon)
    lat_lo = math.sin(max(P_saa_lat - P_saa_half_lat, -0.5 * math.pi)) - 1e-12
    lat_hi = math.sin(min(P_saa_lat + P_saa_half_lat, 0.5 * math.pi)) + 1e-12
    tau = P_tau_s if math.isfinite(P_tau_s) else 0.0
    gpus = int(P_gpus)
    # per-satellite state; the loop runs over steps outside and satellites inside, so that the
    # satellites' independent recursions overlap in the processor instead of waiting on each other
    health = np.empty(n)
    failed = np.zeros(n, dtype=np.int64)
    next_fail = np.empty(n)
    t_prev = t_yr[0] - dt / SECONDS_PER_JULIAN_YEAR
    for i in range(n):
        health[i] = (1.0 - P_health_loss) ** bus_count[i]
        offset = 2.0 * P_never_yr * i  # the NumPy path's flat searchsorted compares with these offsets
        if k0 > 0:
            while failed[i] < g and gpu_fail[i, failed[i]] + offset <= t_prev + offset:
                failed[i] += 1
        next_fail[i] = gpu_fail[i, failed[i]] + offset if failed[i] < g else np.inf
    e = 0
    eb = 0
    for k in range(steps):
        c, s_ = cos_gmst[k], sin_gmst[k]
        sx, sy, sz = sun[k, 0], sun[k, 1], sun[k, 2]
        sux, suy, suz = sun_unit[k, 0], sun_unit[k, 1], sun_unit[k, 2]
        s_illum = s_alive = s_array = s_load = s_soc = s_temp = s_active = s_compute = s_short = 0.0
        s_throttle = s_restart = s_ckpt = s_hits = s_saa = s_contact = 0.0
        s_die = -np.inf
        s_generated = 0.0
        tk = t_yr[k]
        for i in range(n):
            # orbit
            if kepler:
                ci, si = cos_inc_[i], sin_inc_[i]
                q, j = rate_group[i], plane[i]
                ct, st = cos_theta[q, k], sin_theta[q, k]
                cu, su = cos_u0[i] * ct - sin_u0[i] * st, sin_u0[i] * ct + cos_u0[i] * st
                co, so = cos_raan[j, k], sin_raan[j, k]
                rx = a[i] * (co * cu - so * ci * su)
                ry = a[i] * (so * cu + co * ci * su)
                rz = a[i] * (si * su)
                hx, hy, hz = so * si, -co * si, ci
                r_inv = inv_a[i]
            else:
                rx, ry, rz = pos[i, k, 0], pos[i, k, 1], pos[i, k, 2]
                vx, vy, vz = vel[i, k, 0], vel[i, k, 1], vel[i, k, 2]
                hx, hy, hz = ry * vz - rz * vy, rz * vx - rx * vz, rx * vy - ry * vx
                hn = math.sqrt(hx * hx + hy * hy + hz * hz)
                hx, hy, hz = hx / hn, hy / hn, hz / hn
                r_inv = 1.0 / math.sqrt(rx * rx + ry * ry + rz * rz)
            alive = tk < sat_fail[i]
            illum = 1.0 - _shadow(rx, ry, rz, sx, sy, sz, sux, suy, suz, P_sunlit_r2, P_umbra_r2)
            # array
            if pointing == 0:
                cos_inc = 1.0
            else:
                sb = hx * sux + hy * suy + hz * suz
                cos_inc = math.sqrt(min(max(1.0 - sb * sb, 0.0), 1.0)) if pointing == 1 else abs(sb)
            t_arr = P_t_op_k if cos_inc == 1.0 else P_t_op_k * max(cos_inc, 0.0) ** 0.25
            factor = 1.0 - P_gamma_per_k * (t_arr - P_t_ref_k)
            while eb < n_bus and bus_step[eb] == k and bus_sat[eb] == i:
                bus_count[i] += 1
                eb += 1
                health[i] = (1.0 - P_health_loss) ** bus_count[i]
            h = health[i]
            p_arr = (P_coefficient_w * illum * factor * degr[k] * cos_inc * h) if alive else 0.0
            # GPUs, SAA, interruptions
            offset = 2.0 * P_never_yr * i
            if next_fail[i] <= tk + offset:
                while failed[i] < g and gpu_fail[i, failed[i]] + offset <= tk + offset:
                    failed[i] += 1
                next_fail[i] = gpu_fail[i, failed[i]] + offset if failed[i] < g else np.inf
            active = gpus - failed[i] if alive else 0
            xe, ye, ze = c * rx + s_ * ry, -s_ * rx + c * ry, rz
            saa = alive and _in_saa(xe, ye, ze, r_inv, lat_lo, lat_hi, cos_lon0, sin_lon0, cos_half_lon, P_saa_lat,
                                    P_saa_lon, P_saa_half_lat, P_saa_half_lon)
            hits = 0
            loss = 0.0
            while e < n_ev and ev_step[e] == k and ev_sat[e] == i:
                rate = P_inside_rate if saa else P_outside_rate
                if ev_u[e] * P_inside_rate < rate * active / gpus:
                    hits += 1
                    loss += ev_rb[e] * tau + P_restart_s
                e += 1
            # the recursion: governor, battery, restart debt, thermal node
            t_k = node[i]
            dc_max = P_compute_w * active / gpus
            thr = _throttle(t_k, P_die_rise_k, P_die_limit_k, P_band_k)
            want = dc_max * thr
            demand = want + P_bus_w * alive
            cap = P_cap_j * h
            e_j, short = _battery_step(battery[i], p_arr - demand, dt, cap, P_emin_j * h, P_eta, P_eta)
            battery[i] = e_j
            compute = max(want - short, 0.0)
            debt[i], productive = _debt_step(debt[i], loss, dt)
            heat = demand - short
            q_env = P_q_dark + (P_q_sun - P_q_dark) * illum
            t_k = _node_step(t_k, heat, P_area_m2, P_emittance, q_env, P_heat_capacity, dt)
            node[i] = t_k
            comp = compute * productive
            useful = comp * (1.0 - P_ckpt) * P_mitigation
            # links: which stations see the satellite (candidates of its latitude band only)
            seen = 0
            if alive and n_st > 0:
                rr = xe * xe + ye * ye + ze * ze
                band = min(int((ze * r_inv + 1.0) * half_bins), top_bin)
                for m in range(st_counts[band]):
                    s = st_lists[band, m]
                    along = xe * st_up[s, 0] + ye * st_up[s, 1] + ze * st_up[s, 2] - st_gu[s]
                    if along < 0.0:  # below the station's horizon plane
                        continue
                    dist2 = rr - 2.0 * (xe * st_ecef[s, 0] + ye * st_ecef[s, 1] + ze * st_ecef[s, 2]) + st_gg[s]
                    if along * along >= P_sin2_el * dist2:
                        seen |= 1 << s
                        station_seen[k, s] += 1
            out_bytes = useful * dt * P_bytes_per_j
            if direct:
                vismask[k, i] = seen
                generated[k, i] = out_bytes
            else:
                s_generated += out_bytes
            # per-step sums
            if alive:
                s_illum += illum
                s_alive += 1.0
                s_soc += e_j / cap if cap > 0 else 0.0
                s_temp += t_k
                s_die = max(s_die, t_k + P_die_rise_k * thr)
                s_saa += 1.0 if saa else 0.0
                s_contact += 1.0 if seen else 0.0
            s_array += p_arr
            s_load += heat
            s_active += active
            s_compute += useful
            s_short += short
            s_throttle += dc_max - want
            s_restart += compute * (1.0 - productive)
            s_ckpt += comp - comp * (1.0 - P_ckpt) * P_mitigation
            s_hits += hits
        sums[k, _ILLUM], sums[k, _ALIVE], sums[k, _ARRAY], sums[k, _LOAD] = s_illum, s_alive, s_array, s_load
        sums[k, _SOC], sums[k, _TEMP], sums[k, _DIE], sums[k, _ACTIVE] = s_soc, s_temp, s_die, s_active
        sums[k, _COMPUTE], sums[k, _SHORT], sums[k, _THROTTLE], sums[k, _RESTART] = s_compute, s_short, s_throttle, s_restart
        sums[k, _CKPT], sums[k, _HITS], sums[k, _SAA], sums[k, _CONTACT] = s_ckpt, s_hits, s_saa, s_contact
        if not direct:
            generated[k, 0] = s_generated


@numba.njit(**_JIT)
def _direct_capacity(vismask, in_view, per_terminal_bps, terminals, dt):
    """Per-satellite link bytes ``(T, N)`` for direct downlink (:func:`links.downlink_capacity_bps`)."""
    steps, n = vismask.shape
    n_st = in_view.shape[1]
    out = np.zeros((steps, n))
    for k in range(steps):
        for i in range(n):
            m = vismask[k, i]
            if m == 0:
                continue
            total = 0.0
            for s in range(n_st):
                if m >> s & 1:
                    crowd = max(in_view[k, s], 1.0)
                    total += min(terminals, crowd) / crowd
            out[k, i] = per_terminal_bps * total * dt / 8.0
    return out


def kernel_parameters(setup: Setup, const: Constants, r_max_m: float) -> np.ndarray:
    """The scalar parameters of :func:`compiled_chunk`, in the order of :data:`PARAMS`.

    Parameters
    ----------
    setup : Setup
        The run (``setup.interrupts`` set).
    const : Constants
        Per-run numbers (array coefficient).
    r_max_m : float
        Largest satellite radius of the chunk [m] (the shadow pre-selection, :func:`shadow_bounds`).

    Returns
    -------
    ndarray
        One float per name of :data:`PARAMS`.

    References
    ----------
    .. [1] The physics the numbers feed: :func:`orbitaldc.simulate.steps.numpy_chunk`.
    """
    from orbitaldc.simulate.steps import NEVER_YR

    v = setup.values
    f = lambda k: values_float(v, k)  # noqa: E731
    d = setup.design
    sunlit_r2, umbra_r2 = shadow_bounds(r_max_m)
    values = {
        "dt": setup.step_s, "coefficient_w": const.array_coefficient_w, "t_op_k": f("solar_operating_temperature_k"),
        "t_ref_k": f("solar_reference_temperature_k"), "gamma_per_k": f("solar_temperature_coefficient_per_k"),
        "health_loss": f("sim_bus_failure_power_loss"), "gpus": d.gpus, "compute_w": d.compute_w, "bus_w": d.bus_w,
        "cap_j": d.battery_capacity_j, "emin_j": d.battery_minimum_j, "eta": math.sqrt(f("battery_round_trip_efficiency")),
        "die_rise_k": d.die_rise_k, "die_limit_k": f("sim_die_limit_k"), "band_k": f("sim_throttle_band_k"),
        "area_m2": d.radiator_area_m2, "emittance": d.emittance, "q_sun": d.absorbed_sun_w_per_m2,
        "q_dark": d.absorbed_eclipse_w_per_m2, "heat_capacity": d.heat_capacity_j_per_k,
        "tau_s": d.checkpoint_interval_s, "restart_s": d.restart_s, "ckpt": d.checkpoint_overhead,
        "outside_rate": setup.interrupts.outside_per_s, "inside_rate": setup.interrupts.inside_per_s,
        "saa_lat": f("sim_saa_center_lat_rad"), "saa_lon": f("sim_saa_center_lon_rad"),
        "saa_half_lat": f("sim_saa_half_lat_rad"), "saa_half_lon": f("sim_saa_half_lon_rad"),
        "sin2_el": math.sin(f("min_elevation_rad")) ** 2, "bytes_per_j": f("workload_bits_per_j") / 8.0,
        "never_yr": NEVER_YR, "mitigation": d.mitigation_factor, "sunlit_r2": sunlit_r2, "umbra_r2": umbra_r2,
    }
    return np.array([float(values[name]) for name in PARAMS])


def compiled_chunk(setup: Setup, ci: ChunkInputs, state: TwinState, const: Constants,
                   stations: links.Stations) -> ChunkSums:
    """The chunk step fused and compiled with numba; same contract as :func:`steps.numpy_chunk`.

    Parameters
    ----------
    setup : Setup
        The run (``setup.interrupts`` set).
    ci : ChunkInputs
        The chunk's times and events.
    state : TwinState
        State at the chunk's start (not modified).
    const : Constants
        Per-run arrays.
    stations : links.Stations
        Ground stations (at most 62).

    Returns
    -------
    ChunkSums

    References
    ----------
    .. [1] S. K. Lam, A. Pitrou, S. Seibert, "Numba: a LLVM-based Python JIT compiler",
       LLVM-HPC 2015.
    """
    v = setup.values
    f = lambda k: values_float(v, k)  # noqa: E731
    n, steps = setup.satellites, ci.t_s.size
    n_st = const.station_ecef_m.shape[0]
    if n_st > 62:
        raise ValueError(f"the compiled step handles up to 62 ground stations, got {n_st}")
    direct = v["sim_relay"] != "isl"
    kepler = setup.satrecs is None
    if kepler:  # node and along-track angle trigonometry per plane (rate group) and step, shared by satellites
        el = setup.elements
        raan_dot, u_dot = propagate.circular_rates(el)
        nodes, plane = np.unique(np.stack([el.raan_rad, raan_dot]), axis=1, return_inverse=True)
        raan = nodes[0][:, None] + nodes[1][:, None] * ci.t_s[None, :]
        cos_raan, sin_raan = np.cos(raan), np.sin(raan)
        rates, rate_group = np.unique(u_dot, return_inverse=True)
        theta = rates[:, None] * ci.t_s[None, :]
        cos_theta, sin_theta = np.cos(theta), np.sin(theta)
        u0 = el.arg_perigee_rad + el.mean_anomaly_rad
        kepler_args = (np.ascontiguousarray(el.semi_major_axis_m, dtype=float), 1.0 / el.semi_major_axis_m,
                       np.cos(el.inclination_rad),
                       np.sin(el.inclination_rad), np.cos(u0), np.sin(u0), rate_group.reshape(-1).astype(np.int64),
                       cos_theta, sin_theta, plane.reshape(-1).astype(np.int64), cos_raan, sin_raan)
        pos = vel = np.zeros((0, 0, 3))
        r_max = float(np.max(el.semi_major_axis_m))
    else:
        st = positions(setup, ci)
        pos, vel = st.position_m, st.velocity_m_s
        none, none2, index = np.zeros(0), np.zeros((0, 0)), np.zeros(0, dtype=np.int64)
        kepler_args = (none, none, none, none, none, none, index, none2, none2, index, none2, none2)
        r_max = float(np.sqrt(np.max(np.sum(pos * pos, axis=-1))))
    sun_unit = ci.sun_m / np.linalg.norm(ci.sun_m, axis=-1, keepdims=True)
    sums = np.zeros((steps, len(SUMS)))
    station_seen = np.zeros((steps, n_st))
    vismask = np.zeros((steps, n) if direct else (0, 0), dtype=np.int64)
    generated = np.zeros((steps, n) if direct else (steps, 1))
    battery, node, debt, buses = (np.array(x, copy=True) for x in state[:4])
    lists, counts = station_bins(const.station_ecef_m, const.stations_lat_rad, const.stations_lon_rad, r_max,
                                 f("min_elevation_rad"))
    ev, bus = ci.interrupts, ci.bus
    _chunk(kepler, *kepler_args, pos, vel, ci.t_s, ci.t_yr, ci.sun_m, sun_unit,
           np.cos(ci.gmst_rad), np.sin(ci.gmst_rad), ci.degradation, ev.step, ev.satellite, ev.accept_u, ev.rollback_u,
           bus.step, bus.satellite, const.gpu_fail_yr, const.sat_fail_yr, const.station_ecef_m, const.station_up, lists,
           counts, POINTING.index(str(v["sim_array_pointing"])), direct, ci.k0,
           kernel_parameters(setup, const, r_max), battery, node, debt, buses, sums, station_seen, vismask, generated)
    view = in_view(setup, ci, const, station_seen)
    per_terminal, terminals = f("downlink_rate_bps") * f("clear_sky_fraction"), f("terminals_per_station")
    if direct:
        capacity = _direct_capacity(vismask, view, per_terminal, terminals, setup.step_s).T
    else:
        total = per_terminal * np.minimum(terminals, view).sum(axis=1) if n_st else np.zeros(steps)
        capacity = (total * setup.sample_fraction * setup.step_s / 8.0)[None, :]
    return ChunkSums(dict(zip(SUMS, sums.T)), generated.T, capacity,
                     TwinState(battery, node, debt, buses, state.backlog_b))
