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
    rn = math.sqrt(rx * rx + ry * ry + rz * rz)
    dx, dy, dz = sx - rx, sy - ry, sz - rz
    dn = math.sqrt(dx * dx + dy * dy + dz * dz)
    sa = min(max(SUN_RADIUS_M / dn, 0.0), 1.0)
    sb = min(max(EARTH_RADIUS_M / rn, 0.0), 1.0)
    cos_c = min(max(-(rx * dx + ry * dy + rz * dz) / (rn * dn), -1.0), 1.0)
    # c >= a + b (sunlit) <=> cos c <= cos(a + b); beyond the margin the exact formula gives 0 too
    if cos_c < math.sqrt(1.0 - sa * sa) * math.sqrt(1.0 - sb * sb) - sa * sb - _SUNLIT_MARGIN:
        return 0.0
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
def _poisson(u, lam):
    """Count and bin fraction of one uniform (:func:`faults.poisson_from_uniform`)."""
    p = math.exp(-lam)
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
def _in_saa(x, y, z, lat_lo, lat_hi, lat0, lon0, half_lat, half_lon):
    """SAA ellipse test of an Earth-fixed position (:func:`steps.in_saa`)."""
    r = math.sqrt(x * x + y * y + z * z)
    if z / r < lat_lo or z / r > lat_hi:
        return False
    dlat = math.atan2(z, math.hypot(x, y)) - lat0
    dlon = (math.atan2(y, x) - lon0 + math.pi) % (2.0 * math.pi) - math.pi
    r2 = (dlat / half_lat) ** 2 + (dlon / half_lon) ** 2
    return r2 <= 1.0  # nan (zero extents) compares False


@numba.njit(**_JIT)
def _chunk(kepler, a, inc, raan0, u0, raan_dot, u_dot, pos, vel, t_s, t_yr, sun, sun_unit, gmst, degr, upset_u,
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
    n, steps = upset_u.shape
    n_st = st_ecef.shape[0]
    g = gpu_fail.shape[1]
    dt = P_dt
    st_gu = np.empty(n_st)
    st_gg = np.empty(n_st)
    for s in range(n_st):
        st_gu[s] = st_ecef[s, 0] * st_up[s, 0] + st_ecef[s, 1] * st_up[s, 1] + st_ecef[s, 2] * st_up[s, 2]
        st_gg[s] = st_ecef[s, 0] ** 2 + st_ecef[s, 1] ** 2 + st_ecef[s, 2] ** 2
    lat_lo = math.sin(max(P_saa_lat - P_saa_half_lat, -0.5 * math.pi)) - 1e-12
    lat_hi = math.sin(min(P_saa_lat + P_saa_half_lat, 0.5 * math.pi)) + 1e-12
    tau = P_tau_s if math.isfinite(P_tau_s) else 0.0
    gpus = int(P_gpus)
    for i in range(n):
        e_j, t_k, d_s, buses = battery[i], node[i], debt[i], bus_count[i]
        offset = 2.0 * P_never_yr * i
        if k0 > 0:
            t_prev = t_yr[0] - dt / SECONDS_PER_JULIAN_YEAR
            failed = 0
            while failed < g and gpu_fail[i, failed] + offset <= t_prev + offset:
                failed += 1
        else:
            failed = 0
        for k in range(steps):
            # orbit
            if kepler:
                raan = raan0[i] + raan_dot[i] * t_s[k]
                u = u0[i] + u_dot[i] * t_s[k]
                cu, su, co, so = math.cos(u), math.sin(u), math.cos(raan), math.sin(raan)
                ci, si = math.cos(inc[i]), math.sin(inc[i])
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
            illum = 1.0 - _shadow(rx, ry, rz, sun[k, 0], sun[k, 1], sun[k, 2])
            # array
            if pointing == 0:
                cos_inc = 1.0
            else:
                sb = hx * sun_unit[k, 0] + hy * sun_unit[k, 1] + hz * sun_unit[k, 2]
                cos_inc = math.sqrt(min(max(1.0 - sb * sb, 0.0), 1.0)) if pointing == 1 else abs(sb)
            t_arr = P_t_op_k * max(cos_inc, 0.0) ** 0.25
            factor = 1.0 - P_gamma_per_k * (t_arr - P_t_ref_k)
            buses += bus_events[i, k]
            health = (1.0 - P_health_loss) ** buses
            p_arr = (P_coefficient_w * illum * factor * degr[k] * cos_inc * health) if alive else 0.0
            # GPUs, SAA, upsets
            before = failed
            while failed < g and gpu_fail[i, failed] + offset <= t_yr[k] + offset:
                failed += 1
            active = gpus - failed if alive else 0
            new_failures = failed - before if alive else 0
            c, s_ = math.cos(gmst[k]), math.sin(gmst[k])
            xe, ye, ze = c * rx + s_ * ry, -s_ * rx + c * ry, rz
            saa = alive and _in_saa(xe, ye, ze, lat_lo, lat_hi, P_saa_lat, P_saa_lon, P_saa_half_lat, P_saa_half_lon)
            rate = P_saa_rate if saa else P_quiet_rate
            upsets, rollback = _poisson(upset_u[i, k], rate * active * dt)
            hits = upsets + new_failures
            loss = rollback * tau + hits * P_restart_s if hits > 0 else 0.0
            # the recursion: governor, battery, restart debt, thermal node
            dc_max = P_compute_w * active / gpus
            thr = _throttle(t_k, P_die_rise_k, P_die_limit_k, P_band_k)
            want = dc_max * thr
            demand = want + P_bus_w * alive
            cap = P_cap_j * health
            e_j, short = _battery_step(e_j, p_arr - demand, dt, cap, P_emin_j * health, P_eta, P_eta)
            compute = max(want - short, 0.0)
            d_s, productive = _debt_step(d_s, loss, dt)
            heat = demand - short
            q_env = P_q_dark + (P_q_sun - P_q_dark) * illum
            t_k = _node_step(t_k, heat, P_area_m2, P_emittance, q_env, P_heat_capacity, dt)
            comp = compute * productive
            useful = comp * (1.0 - P_ckpt)
            # links: which stations see the satellite
            seen = 0
            if alive:
                rr = xe * xe + ye * ye + ze * ze
                for s in range(n_st):
                    along = xe * st_up[s, 0] + ye * st_up[s, 1] + ze * st_up[s, 2] - st_gu[s]
                    dist2 = rr - 2.0 * (xe * st_ecef[s, 0] + ye * st_ecef[s, 1] + ze * st_ecef[s, 2]) + st_gg[s]
                    if along >= 0.0 and along * along >= P_sin2_el * dist2:
                        seen |= 1 << s
                        station_seen[k, s] += 1
            out_bytes = useful * dt * P_bytes_per_j
            if direct:
                vismask[i, k] = seen
                generated[i, k] = out_bytes
            else:
                generated[0, k] += out_bytes
            # per-step sums
            if alive:
                sums[_ILLUM, k] += illum
                sums[_ALIVE, k] += 1.0
                sums[_SOC, k] += e_j / cap if cap > 0 else 0.0
                sums[_TEMP, k] += t_k
                sums[_DIE, k] = max(sums[_DIE, k], t_k + P_die_rise_k * thr)
                sums[_SAA, k] += 1.0 if saa else 0.0
                sums[_CONTACT, k] += 1.0 if seen else 0.0
            sums[_ARRAY, k] += p_arr
            sums[_LOAD, k] += heat
            sums[_ACTIVE, k] += active
            sums[_COMPUTE, k] += useful
            sums[_SHORT, k] += short
            sums[_THROTTLE, k] += dc_max - want
            sums[_RESTART, k] += compute * (1.0 - productive)
            sums[_CKPT, k] += comp * P_ckpt
            sums[_UPSETS, k] += upsets
        battery[i], node[i], debt[i], bus_count[i] = e_j, t_k, d_s, buses


@numba.njit(**_JIT)
def _direct_capacity(vismask, station_seen, rate_bps, links_per_station, sample_fraction, dt):
    """Per-satellite link bytes for direct downlink (:func:`links.downlink_capacity_bps`)."""
    n, steps = vismask.shape
    n_st = station_seen.shape[1]
    out = np.zeros((n, steps))
    for k in range(steps):
        for i in range(n):
            m = vismask[i, k]
            if m == 0:
                continue
            total = 0.0
            for s in range(n_st):
                if m >> s & 1:
                    crowd = station_seen[k, s] / sample_fraction
                    total += min(links_per_station, crowd) / crowd
            out[i, k] = rate_bps * total * dt / 8.0
    return out


def kernel_parameters(setup: Setup, const: Constants) -> np.ndarray:
    """The scalar parameters of :func:`compiled_chunk`, in the order of :data:`PARAMS`."""
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
    if kepler:
        el = setup.elements
        raan_dot, u_dot = propagate.circular_rates(el)
        pos = vel = np.zeros((0, 0, 3))
        a, inc, raan0 = (np.ascontiguousarray(x, dtype=float) for x in (el.semi_major_axis_m, el.inclination_rad,
                                                                         el.raan_rad))
        u0 = el.arg_perigee_rad + el.mean_anomaly_rad
    else:
        st = positions(setup, ci)
        pos, vel = st.position_m, st.velocity_m_s
        a = inc = raan0 = u0 = raan_dot = u_dot = np.zeros(0)
    sun_unit = ci.sun_m / np.linalg.norm(ci.sun_m, axis=-1, keepdims=True)
    sums = np.zeros((len(SUMS), steps))
    sums[_DIE] = -np.inf
    station_seen = np.zeros((steps, n_st))
    vismask = np.zeros((n, steps) if direct else (0, 0), dtype=np.int64)
    generated = np.zeros((n, steps) if direct else (1, steps))
    battery, node, debt, buses = (np.array(x, copy=True) for x in state[:4])
    _chunk(kepler, a, inc, raan0, u0, raan_dot, u_dot, pos, vel, ci.t_s, ci.t_yr, ci.sun_m, sun_unit, ci.gmst_rad,
           ci.degradation, ci.upset_u, ci.bus_events, const.gpu_fail_yr, const.sat_fail_yr, const.station_ecef_m,
           const.station_up, POINTING.index(str(v["sim_array_pointing"])), direct, ci.k0,
           kernel_parameters(setup, const), battery, node, debt, buses, sums, station_seen, vismask, generated)
    f = lambda k: values_float(v, k)  # noqa: E731
    rate, per_station = f("downlink_rate_bps"), float(int(f("sim_links_per_station")))
    if direct:
        capacity = _direct_capacity(vismask, station_seen, rate, per_station, setup.sample_fraction, setup.step_s)
    else:
        up = (station_seen > 0).sum(axis=1)
        capacity = (rate * per_station * up * setup.sample_fraction * setup.step_s / 8.0)[None, :]
    return ChunkSums(dict(zip(SUMS, sums)), generated, capacity,
                     TwinState(battery, node, debt, buses, state.backlog_b))
