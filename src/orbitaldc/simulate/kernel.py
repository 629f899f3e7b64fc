"""The chunk step compiled with numba: the same physics as :func:`steps.numpy_chunk`, fused.

One loop per satellite over the chunk's steps carries the battery, thermal node and restart
debt in registers and computes, step by step, the orbit (circular Kepler + J2, or given SGP4
positions), the conical shadow, array power, GPU failures, the SAA and upsets, the recursion
and the station visibility, adding into per-step sums. Nothing of size satellites x steps is
kept except, for direct downlink, each satellite's visible stations (a bit mask) and its
results. The recursion's physics is the very functions of :mod:`orbitaldc.physics` (compiled
with ``numba.njit``); the orbit, shadow, SAA and visibility follow the NumPy functions' formulas
term for term, so the two paths agree to rounding (tests compare them to 1e-9).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from orbitaldc.constants import EARTH_RADIUS_M, SECONDS_PER_JULIAN_YEAR, SUN_RADIUS_M
from orbitaldc.physics import battery as _battery
from orbitaldc.physics import thermal as _thermal
from orbitaldc.simulate import faults, links, propagate
from orbitaldc.simulate.design import values_float
from orbitaldc.simulate.plan import Setup
from orbitaldc.simulate.steps import POINTING, SUMS, ChunkInputs, ChunkSums, Constants, TwinState, positions

_JIT = dict(cache=True, error_model="numpy")
_battery_step = numba.njit(**_JIT)(_battery.battery_step)
_node_step = numba.njit(**_JIT)(_thermal.lumped_node_step)
_throttle = numba.njit(**_JIT)(_thermal.throttle_factor)
_debt_step = numba.njit(**_JIT)(faults.restart_debt_step)
(_ILLUM, _ALIVE, _ARRAY, _LOAD, _SOC, _TEMP, _DIE, _ACTIVE, _COMPUTE, _SHORT, _THROTTLE, _RESTART, _CKPT, _UPSETS,
 _SAA, _CONTACT) = range(len(SUMS))
#: Names of the scalar parameters the kernel reads, in the order of its ``p`` vector.
PARAMS = ("dt", "coefficient_w", "t_op_k", "t_ref_k", "gamma_per_k", "health_loss", "gpus", "compute_w", "bus_w",
          "cap_j", "emin_j", "eta", "die_rise_k", "die_limit_k", "band_k", "area_m2", "emittance", "q_sun", "q_dark",
          "heat_capacity", "tau_s", "restart_s", "ckpt", "quiet_rate", "saa_rate", "saa_lat", "saa_lon",
          "saa_half_lat", "saa_half_lon", "sin2_el", "bytes_per_j", "never_yr")
#: Margin of the cheap "fully sunlit" test before the exact conical formula is evaluated.
_SUNLIT_MARGIN = 1e-9


@numba.njit(**_JIT)
def _shadow(rx, ry, rz, sx, sy, sz):
    """Hidden fraction of the solar disc (:func:`orbitaldc.physics.orbit.shadow_fraction`)."""
    rr = rx * rx + ry * ry + rz * rz
    if rx * sx + ry * sy + rz * sz > rr:  # the sun more than 90 deg from the Earth's centre: c > a + b
        return 0.0
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


@numba.njit(**_JIT)
def _poisson(u, lam, p0):
    """Count and bin fraction of one uniform (:func:`faults.poisson_from_uniform`); ``p0 = exp(-lam)``."""
    p = p0
    below = 0.0
    count = 0
    more = u >= p
    while more:
        count += 1
        below = below + p
        p = p * lam / count
        more = (u >= below + p) and (p > 0.0)
    fraction = (u - below) / p if p > 0.0 else 0.0
    return count, min(max(fraction, 0.0), 1.0)


@numba.njit(**_JIT)
def _in_saa(x, y, z, r_inv, lat_lo, lat_hi, cos_lon0, sin_lon0, cos_half_lon, lat0, lon0, half_lat, half_lon):
    """SAA ellipse test of an Earth-fixed position (:func:`steps.in_saa`).

    Outside the latitude band (``sin(lat) = z / r``) or the longitude wedge (``cos(dlon)`` from
    a dot product) the answer is False without the arc tangents; the bounds carry a margin, so
    the exact test decides every case near an edge.
    """
    if z * r_inv < lat_lo or z * r_inv > lat_hi:  # r_inv: 1 / |r| to ~1e-15, well inside the margin
        return False
    if half_lon < math.pi and x * cos_lon0 + y * sin_lon0 < (cos_half_lon - 1e-12) * math.sqrt(x * x + y * y):
        return False
    dlat = math.atan2(z, math.hypot(x, y)) - lat0
    dlon = (math.atan2(y, x) - lon0 + math.pi) % (2.0 * math.pi) - math.pi
    r2 = (dlat / half_lat) ** 2 + (dlon / half_lon) ** 2
    return r2 <= 1.0  # nan (zero extents) compares False


@numba.njit(**_JIT)
def _chunk(kepler, a, inv_a, cos_inc_, sin_inc_, cos_u0, sin_u0, rate_group, cos_theta, sin_theta, plane, cos_raan, sin_raan,
           pos, vel, t_s, t_yr, sun, sun_unit, cos_gmst, sin_gmst, degr,
           upset_u,
           bus_events, gpu_fail, sat_fail, st_ecef, st_up, pointing, direct, k0, p, battery, node, debt, bus_count,
           sums, station_seen, vismask, generated):
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
    P_quiet_rate = p[23]
    P_saa_rate = p[24]
    P_saa_lat = p[25]
    P_saa_lon = p[26]
    P_saa_half_lat = p[27]
    P_saa_half_lon = p[28]
    P_sin2_el = p[29]
    P_bytes_per_j = p[30]
    P_never_yr = p[31]
    steps, n = upset_u.shape
    n_st = st_ecef.shape[0]
    g = gpu_fail.shape[1]
    dt = P_dt
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
    last_lam = np.full(n, -1.0)
    p0 = np.ones(n)
    t_prev = t_yr[0] - dt / SECONDS_PER_JULIAN_YEAR
    for i in range(n):
        health[i] = (1.0 - P_health_loss) ** bus_count[i]
        if k0 > 0:
            offset = 2.0 * P_never_yr * i
            while failed[i] < g and gpu_fail[i, failed[i]] + offset <= t_prev + offset:
                failed[i] += 1
    for k in range(steps):
        c, s_ = cos_gmst[k], sin_gmst[k]
        sx, sy, sz = sun[k, 0], sun[k, 1], sun[k, 2]
        sux, suy, suz = sun_unit[k, 0], sun_unit[k, 1], sun_unit[k, 2]
        s_illum = s_alive = s_array = s_load = s_soc = s_temp = s_active = s_compute = s_short = 0.0
        s_throttle = s_restart = s_ckpt = s_upsets = s_saa = s_contact = 0.0
        s_die = -np.inf
        s_generated = 0.0
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
            else:
                rx, ry, rz = pos[i, k, 0], pos[i, k, 1], pos[i, k, 2]
                vx, vy, vz = vel[i, k, 0], vel[i, k, 1], vel[i, k, 2]
                hx, hy, hz = ry * vz - rz * vy, rz * vx - rx * vz, rx * vy - ry * vx
                hn = math.sqrt(hx * hx + hy * hy + hz * hz)
                hx, hy, hz = hx / hn, hy / hn, hz / hn
            alive = t_yr[k] < sat_fail[i]
            illum = 1.0 - _shadow(rx, ry, rz, sx, sy, sz)
            # array
            if pointing == 0:
                cos_inc = 1.0
            else:
                sb = hx * sux + hy * suy + hz * suz
                cos_inc = math.sqrt(min(max(1.0 - sb * sb, 0.0), 1.0)) if pointing == 1 else abs(sb)
            t_arr = P_t_op_k if cos_inc == 1.0 else P_t_op_k * max(cos_inc, 0.0) ** 0.25
            factor = 1.0 - P_gamma_per_k * (t_arr - P_t_ref_k)
            if bus_events[k, i]:
                bus_count[i] += bus_events[k, i]
                health[i] = (1.0 - P_health_loss) ** bus_count[i]
            h = health[i]
            p_arr = (P_coefficient_w * illum * factor * degr[k] * cos_inc * h) if alive else 0.0
            # GPUs, SAA, upsets
            before = failed[i]
            offset = 2.0 * P_never_yr * i
            while failed[i] < g and gpu_fail[i, failed[i]] + offset <= t_yr[k] + offset:
                failed[i] += 1
            active = gpus - failed[i] if alive else 0
            new_failures = failed[i] - before if alive else 0
            xe, ye, ze = c * rx + s_ * ry, -s_ * rx + c * ry, rz
            r_inv = inv_a[i] if kepler else 1.0 / math.sqrt(rx * rx + ry * ry + rz * rz)
            saa = alive and _in_saa(xe, ye, ze, r_inv, lat_lo, lat_hi, cos_lon0, sin_lon0, cos_half_lon, P_saa_lat,
                                    P_saa_lon, P_saa_half_lat, P_saa_half_lon)
            rate = P_saa_rate if saa else P_quiet_rate
            lam = rate * active * dt
            if lam != last_lam[i]:
                last_lam[i], p0[i] = lam, math.exp(-lam)
            upsets, rollback = _poisson(upset_u[k, i], lam, p0[i])
            hits = upsets + new_failures
            loss = rollback * tau + hits * P_restart_s if hits > 0 else 0.0
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
            useful = comp * (1.0 - P_ckpt)
            # links: which stations see the satellite
            seen = 0
            if alive:
                rr = xe * xe + ye * ye + ze * ze
                for s in range(n_st):
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
            s_ckpt += comp * P_ckpt
            s_upsets += upsets
        sums[k, _ILLUM], sums[k, _ALIVE], sums[k, _ARRAY], sums[k, _LOAD] = s_illum, s_alive, s_array, s_load
        sums[k, _SOC], sums[k, _TEMP], sums[k, _DIE], sums[k, _ACTIVE] = s_soc, s_temp, s_die, s_active
        sums[k, _COMPUTE], sums[k, _SHORT], sums[k, _THROTTLE], sums[k, _RESTART] = s_compute, s_short, s_throttle, s_restart
        sums[k, _CKPT], sums[k, _UPSETS], sums[k, _SAA], sums[k, _CONTACT] = s_ckpt, s_upsets, s_saa, s_contact
        if not direct:
            generated[k, 0] = s_generated


@numba.njit(**_JIT)
def _direct_capacity(vismask, station_seen, rate_bps, links_per_station, sample_fraction, dt):
    """Per-satellite link bytes ``(T, N)`` for direct downlink (:func:`links.downlink_capacity_bps`)."""
    steps, n = vismask.shape
    n_st = station_seen.shape[1]
    out = np.zeros((steps, n))
    for k in range(steps):
        for i in range(n):
            m = vismask[k, i]
            if m == 0:
                continue
            total = 0.0
            for s in range(n_st):
                if m >> s & 1:
                    crowd = station_seen[k, s] / sample_fraction
                    total += min(links_per_station, crowd) / crowd
            out[k, i] = rate_bps * total * dt / 8.0
    return out


def kernel_parameters(setup: Setup, const: Constants) -> np.ndarray:
    """The scalar parameters of :func:`compiled_chunk`, in the order of :data:`PARAMS`.

    Parameters
    ----------
    setup : Setup
        The run (``setup.upsets`` set).
    const : Constants
        Per-run numbers (array coefficient, die rise).

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
    values = {
        "dt": setup.step_s, "coefficient_w": const.array_coefficient_w, "t_op_k": f("solar_operating_temperature_k"),
        "t_ref_k": f("solar_reference_temperature_k"), "gamma_per_k": f("solar_temperature_coefficient_per_k"),
        "health_loss": f("sim_bus_failure_power_loss"), "gpus": d.gpus, "compute_w": d.compute_w, "bus_w": d.bus_w,
        "cap_j": d.battery_capacity_j, "emin_j": d.battery_minimum_j, "eta": math.sqrt(f("battery_round_trip_efficiency")),
        "die_rise_k": const.die_rise_k, "die_limit_k": f("sim_die_limit_k"), "band_k": f("sim_throttle_band_k"),
        "area_m2": d.radiator_area_m2, "emittance": d.emittance, "q_sun": d.absorbed_sun_w_per_m2,
        "q_dark": d.absorbed_eclipse_w_per_m2, "heat_capacity": d.heat_capacity_j_per_k,
        "tau_s": d.checkpoint_interval_s, "restart_s": f("sim_restart_s"), "ckpt": d.checkpoint_overhead,
        "quiet_rate": setup.upsets.quiet_per_gpu_s, "saa_rate": setup.upsets.saa_per_gpu_s,
        "saa_lat": f("sim_saa_center_lat_rad"), "saa_lon": f("sim_saa_center_lon_rad"),
        "saa_half_lat": f("sim_saa_half_lat_rad"), "saa_half_lon": f("sim_saa_half_lon_rad"),
        "sin2_el": math.sin(f("min_elevation_rad")) ** 2, "bytes_per_j": f("workload_bits_per_j") / 8.0,
        "never_yr": NEVER_YR,
    }
    return np.array([float(values[name]) for name in PARAMS])


def compiled_chunk(setup: Setup, ci: ChunkInputs, state: TwinState, const: Constants,
                   stations: links.Stations) -> ChunkSums:
    """The chunk step fused and compiled with numba; same contract as :func:`steps.numpy_chunk`.

    Parameters
    ----------
    setup : Setup
        The run (``setup.upsets`` set).
    ci : ChunkInputs
        The chunk's times and draws.
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
    else:
        st = positions(setup, ci)
        pos, vel = st.position_m, st.velocity_m_s
        none, none2, index = np.zeros(0), np.zeros((0, 0)), np.zeros(0, dtype=np.int64)
        kepler_args = (none, none, none, none, none, none, index, none2, none2, index, none2, none2)
    sun_unit = ci.sun_m / np.linalg.norm(ci.sun_m, axis=-1, keepdims=True)
    sums = np.zeros((steps, len(SUMS)))
    station_seen = np.zeros((steps, n_st))
    vismask = np.zeros((steps, n) if direct else (0, 0), dtype=np.int64)
    generated = np.zeros((steps, n) if direct else (steps, 1))
    battery, node, debt, buses = (np.array(x, copy=True) for x in state[:4])
    _chunk(kepler, *kepler_args, pos, vel, ci.t_s, ci.t_yr, ci.sun_m, sun_unit,
           np.cos(ci.gmst_rad), np.sin(ci.gmst_rad), ci.degradation, ci.upset_u, ci.bus_events, const.gpu_fail_yr, const.sat_fail_yr, const.station_ecef_m,
           const.station_up, POINTING.index(str(v["sim_array_pointing"])), direct, ci.k0,
           kernel_parameters(setup, const), battery, node, debt, buses, sums, station_seen, vismask, generated)
    f = lambda k: values_float(v, k)  # noqa: E731
    rate, per_station = f("downlink_rate_bps"), float(int(f("sim_links_per_station")))
    if direct:
        capacity = _direct_capacity(vismask, station_seen, rate, per_station, setup.sample_fraction, setup.step_s).T
    else:
        up = (station_seen > 0).sum(axis=1)
        capacity = (rate * per_station * up * setup.sample_fraction * setup.step_s / 8.0)[None, :]
    return ChunkSums(dict(zip(SUMS, sums.T)), generated.T, capacity,
                     TwinState(battery, node, debt, buses, state.backlog_b))
