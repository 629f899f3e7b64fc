"""The chunk step compiled with numba: the same physics as :func:`steps.numpy_chunk`, fused.

The loop runs over steps outside and satellites inside, in passes per step: the orbits at the
step's end (its start is the previous step's end); a branch-free geometry pass (Earth-fixed
position, sunlit / umbra / in doubt from the distance to the Earth-sun axis, stations within
reach) that the compiler vectorizes; a pass for what is rare and branching (the share of the
step in sunlight where its ends differ or lie in a penumbra, bus and GPU failures, node
interruptions drawn as events per chunk and thinned where they fall, with an SAA test only
there); the recursion (governor, battery, restart debt, thermal node) with the same arithmetic
for every satellite; and the links (the exact elevation test for stations within reach) and the
per-step sums. Nothing of size satellites x steps is kept except, for direct downlink, each
satellite's visible stations (a bit mask) and its results. The recursion's physics is the very
functions of :mod:`orbitaldc.physics` (compiled with ``numba.njit``); the orbit, shadow, SAA and
visibility follow the NumPy functions' formulas term for term and the pre-selections only
decide where the exact tests run, so the two paths agree to rounding (tests compare them to
1e-9).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from orbitaldc.constants import SECONDS_PER_JULIAN_YEAR
from orbitaldc.physics import battery as _battery
from orbitaldc.physics import thermal as _thermal
from orbitaldc.simulate import faults, links, propagate
from orbitaldc.simulate.compiled import JIT as _JIT
from orbitaldc.physics import eclipse as _eclipse
from orbitaldc.simulate.compiled import (_direct_capacity, _in_saa, _place, _shadow_coordinate, angle_trig,
                                         ring_view, shadow_bounds, view_angle)
from orbitaldc.simulate.design import values_float
from orbitaldc.simulate.plan import Setup
from orbitaldc.simulate.steps import POINTING, SUMS, ChunkInputs, ChunkSums, Constants, TwinState, positions, rings

_battery_step = numba.njit(**_JIT)(_battery.battery_step)
_node_step = numba.njit(**_JIT)(_thermal.lumped_node_step)
_throttle = numba.njit(**_JIT)(_thermal.throttle_factor)
_debt_step = numba.njit(**_JIT)(faults.restart_debt_step)
_mean_sunlit = numba.njit(**_JIT)(_eclipse.mean_sunlit_fraction)
(_ILLUM, _ALIVE, _ARRAY, _LOAD, _SOC, _TEMP, _DIE, _ACTIVE, _COMPUTE, _SHORT, _THROTTLE, _RESTART, _CKPT, _HITS,
 _CONTACT) = range(len(SUMS))
#: Names of the scalar parameters the kernel reads, in the order of its ``p`` vector.
PARAMS = ("dt", "coefficient_w", "t_op_k", "t_ref_k", "gamma_per_k", "health_loss", "gpus", "compute_w", "bus_w",
          "cap_j", "emin_j", "eta", "die_rise_k", "die_limit_k", "band_k", "area_m2", "emittance", "q_sun", "q_dark",
          "heat_capacity", "tau_s", "restart_s", "ckpt", "outside_rate", "inside_rate", "saa_lat", "saa_lon",
          "saa_half_lat", "saa_half_lon", "sin2_el", "bytes_per_j", "never_yr", "mitigation", "sunlit_r2", "umbra_r2",
          "view_outer")
@numba.njit(**_JIT)
def _chunk(kepler, a, inv_a, cos_inc_, sin_inc_, cos_u0, sin_u0, rate_group, cos_theta, sin_theta, plane, cos_raan, sin_raan,
           pos, vel, t_s, t_yr, sun, sun_unit, cos_gmst, sin_gmst, degr,
           ev_step, ev_sat, ev_u, ev_rb, bus_step, bus_sat,
           gpu_fail, sat_fail, st_ecef, st_up, masks, pointing, direct, k0, p, battery, node, debt,
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
    P_view_outer = p[35]
    steps = t_s.shape[0]
    n = sat_fail.shape[0]
    n_st = st_ecef.shape[0]
    n_ev = ev_step.shape[0]
    n_bus = bus_step.shape[0]
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
    # one step's geometry of every satellite (the first passes, branch-free so that the compiler
    # vectorizes them; the exact shadow and elevation tests run only where these leave a doubt)
    px, py, pz, ex, ey, rinv = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    nx, ny, nz, shade, near, reach = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    qx, qy, qz, qnx, qny, qnz, qrinv = (np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n),
                                        np.empty(n))  # the same at the step's end
    cls, cls_end = np.empty(n), np.empty(n)  # sunlit (1), umbra (0) or in doubt (-1) at the step's start and end
    # the shadow coordinate at the step's start and end, where computed (the end is the next step's start)
    x_start, x_end = np.empty(n), np.empty(n)
    known, known_end = np.zeros(n, dtype=np.bool_), np.zeros(n, dtype=np.bool_)
    live, power, lost, act, hit = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    o_array, o_heat, o_short, o_throttle = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    o_restart, o_useful, o_ckpt, o_die = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    factor0 = 1.0 - P_gamma_per_k * (P_t_op_k - P_t_ref_k)  # cell temperature factor at normal incidence
    cos_outer = math.cos(P_view_outer)
    dir_x, dir_y, dir_z = np.empty(n_st), np.empty(n_st), np.empty(n_st)  # unit vectors, one array per axis
    for s in range(n_st):
        norm = math.sqrt(st_gg[s])
        dir_x[s], dir_y[s], dir_z[s] = st_ecef[s, 0] / norm, st_ecef[s, 1] / norm, st_ecef[s, 2] / norm
    next_fail = np.empty(n)
    t_prev = t_yr[0] - dt / SECONDS_PER_JULIAN_YEAR
    inv_cap = np.empty(n)  # 1 / battery capacity, and the IT power of the active GPUs, updated as they change
    dc_alive = np.empty(n)
    for i in range(n):
        health[i] = (1.0 - P_health_loss) ** bus_count[i]
        inv_cap[i] = 1.0 / (P_cap_j * health[i]) if P_cap_j * health[i] > 0 else 0.0
        offset = 2.0 * P_never_yr * i  # the NumPy path's flat searchsorted compares with these offsets
        if k0 > 0:
            while failed[i] < g and gpu_fail[i, failed[i]] + offset <= t_prev + offset:
                failed[i] += 1
        next_fail[i] = gpu_fail[i, failed[i]] + offset if failed[i] < g else np.inf
        dc_alive[i] = P_compute_w * (gpus - failed[i]) / gpus
    e = 0
    eb = 0
    _place(kepler, 0, a, inv_a, cos_inc_, sin_inc_, cos_u0, sin_u0, rate_group, cos_theta, sin_theta, plane, cos_raan,
           sin_raan, pos, vel, px, py, pz, nx, ny, nz, rinv)
    # in doubt at the chunk's first step's start: the exact test decides it (as it would where
    # the pre-selection's decision disagreed with the step's end)
    cls[:] = -1.0
    for k in range(steps):
        c, s_ = cos_gmst[k], sin_gmst[k]
        sx, sy, sz = sun[k, 0], sun[k, 1], sun[k, 2]
        sux, suy, suz = sun_unit[k, 0], sun_unit[k, 1], sun_unit[k, 2]
        s_illum = s_alive = s_array = s_load = s_soc = s_temp = s_active = s_compute = s_short = 0.0
        s_throttle = s_restart = s_ckpt = s_hits = s_contact = 0.0
        s_die = -np.inf
        s_generated = 0.0
        tk = t_yr[k]
        # the positions at the step's end (its start is the last step's end) and whether sunlit there
        _place(kepler, k + 1, a, inv_a, cos_inc_, sin_inc_, cos_u0, sin_u0, rate_group, cos_theta, sin_theta, plane,
               cos_raan, sin_raan, pos, vel, qx, qy, qz, qnx, qny, qnz, qrinv)
        tx, ty, tz = sun[k + 1, 0], sun[k + 1, 1], sun[k + 1, 2]
        ux, uy, uz = sun_unit[k + 1, 0], sun_unit[k + 1, 1], sun_unit[k + 1, 2]
        for i in range(n):  # Earth-fixed position at the step's start; sunlit, umbra or in doubt at its end
            ex[i] = c * px[i] + s_ * py[i]
            ey[i] = -s_ * px[i] + c * py[i]
            # sunlit (1) if the sun is more than 90 deg from the Earth's centre or the distance from
            # the Earth-sun axis exceeds the outer cylinder; umbra (0) behind the Earth inside the
            # inner one (shadow_bounds): there the shadow coordinate is >= 1 or <= -1; else in doubt
            rx, ry, rz = qx[i], qy[i], qz[i]
            rr = rx * rx + ry * ry + rz * rz
            along = rx * ux + ry * uy + rz * uz
            perp2 = rr - along * along
            lit = (rx * tx + ry * ty + rz * tz > rr) | (perp2 > P_sunlit_r2)
            dark = (along < 0.0) & (perp2 < P_umbra_r2)
            cls_end[i] = 1.0 if lit else (0.0 if dark else -1.0)
        if n_st > 0:  # stations within the outer visibility angle: the candidates of the exact test
            for i in range(n):
                near[i] = 0.0
                reach[i] = cos_outer / rinv[i]
            for s in range(n_st):
                gx, gy, gz = dir_x[s], dir_y[s], dir_z[s]
                for i in range(n):
                    near[i] += ex[i] * gx + ey[i] * gy + pz[i] * gz >= reach[i]
        # the rare and branching work, satellite by satellite: penumbrae, bus failures, GPU
        # failures, interruptions (an SAA test only where a candidate falls), the array's incidence
        for i in range(n):
            alive = tk < sat_fail[i]
            live[i] = 1.0 if alive else 0.0
            c0, c1 = cls[i], cls_end[i]
            shade[i] = c0  # both ends decided alike (the common case), else replaced below
            known_end[i] = False
            if c0 < 0.0 or c0 != c1:  # the share of the step in sunlight
                # an end that the pre-selection decided has x >= 1 (sunlit) or <= -1 (umbra): when
                # the other end's x lies on its side too the share is that state, as below
                have0 = known[i] or c0 < 0.0
                x0 = 0.0
                if have0:
                    x0 = x_start[i] if known[i] else _shadow_coordinate(px[i], py[i], pz[i], sx, sy, sz)
                if have0 and c1 >= 0.0 and (x0 >= 1.0 if c1 > 0.0 else x0 <= -1.0):
                    shade[i] = c1
                else:
                    x1 = _shadow_coordinate(qx[i], qy[i], qz[i], tx, ty, tz)
                    x_end[i] = x1
                    known_end[i] = True
                    if not have0 and (x1 >= 1.0 if c0 > 0.0 else x1 <= -1.0):
                        pass  # shade[i] = c0
                    else:
                        if not have0:
                            x0 = _shadow_coordinate(px[i], py[i], pz[i], sx, sy, sz)
                        if min(x0, x1) <= -1.0 and max(x0, x1) >= 1.0:  # the penumbra crossed within the
                            shade[i] = max(x0, x1) / abs(x1 - x0)  # step: the closed form's Phi is 0 and x
                        elif min(x0, x1) >= 1.0 or max(x0, x1) <= -1.0:  # at the ends
                            shade[i] = 1.0 if x0 >= 1.0 else 0.0
                        else:
                            shade[i] = _mean_sunlit(x0, x1)
            while eb < n_bus and bus_step[eb] == k and bus_sat[eb] == i:
                bus_count[i] += 1
                eb += 1
                health[i] = (1.0 - P_health_loss) ** bus_count[i]
                inv_cap[i] = 1.0 / (P_cap_j * health[i]) if P_cap_j * health[i] > 0 else 0.0
            offset = 2.0 * P_never_yr * i
            if next_fail[i] <= tk + offset:
                while failed[i] < g and gpu_fail[i, failed[i]] + offset <= tk + offset:
                    failed[i] += 1
                next_fail[i] = gpu_fail[i, failed[i]] + offset if failed[i] < g else np.inf
                dc_alive[i] = P_compute_w * (gpus - failed[i]) / gpus
            active = gpus - failed[i] if alive else 0
            act[i] = active
            hits = 0
            loss = 0.0
            if e < n_ev and ev_step[e] == k and ev_sat[e] == i:  # candidates here: is the satellite in the SAA?
                saa = _in_saa(ex[i], ey[i], pz[i], rinv[i], lat_lo, lat_hi, cos_lon0, sin_lon0, cos_half_lon,
                              P_saa_lat, P_saa_lon, P_saa_half_lat, P_saa_half_lon)
                while e < n_ev and ev_step[e] == k and ev_sat[e] == i:
                    rate = P_inside_rate if saa else P_outside_rate
                    if ev_u[e] * P_inside_rate < rate * active / gpus:
                        hits += 1
                        loss += ev_rb[e] * tau + P_restart_s
                    e += 1
            lost[i] = loss
            hit[i] = hits
            if pointing == 0:
                power[i] = P_coefficient_w * factor0 * degr[k]
            else:
                sb = nx[i] * sux + ny[i] * suy + nz[i] * suz
                cos_inc = math.sqrt(min(max(1.0 - sb * sb, 0.0), 1.0)) if pointing == 1 else abs(sb)
                t_arr = P_t_op_k if cos_inc == 1.0 else P_t_op_k * max(cos_inc, 0.0) ** 0.25
                power[i] = P_coefficient_w * (1.0 - P_gamma_per_k * (t_arr - P_t_ref_k)) * degr[k] * cos_inc
        # the recursion, the same arithmetic for every satellite (no branches: vectorized):
        # governor, battery, restart debt, thermal node
        for i in range(n):
            al = live[i]
            illum = shade[i]
            h = health[i]
            p_arr = power[i] * illum * h * al
            t_k = node[i]
            dc_max = dc_alive[i] * al
            thr = _throttle(t_k, P_die_rise_k, P_die_limit_k, P_band_k)
            want = dc_max * thr
            demand = want + P_bus_w * al
            e_j, short = _battery_step(battery[i], p_arr - demand, dt, P_cap_j * h, P_emin_j * h, P_eta, P_eta)
            battery[i] = e_j
            compute = max(want - short, 0.0)
            debt[i], productive = _debt_step(debt[i], lost[i], dt)
            heat = demand - short
            t_k = _node_step(t_k, heat, P_area_m2, P_emittance, P_q_dark + (P_q_sun - P_q_dark) * illum,
                             P_heat_capacity, dt)
            node[i] = t_k
            comp = compute * productive
            o_array[i] = p_arr
            o_heat[i] = heat
            o_short[i] = short
            o_throttle[i] = dc_max - want
            o_restart[i] = compute * (1.0 - productive)
            o_useful[i] = comp * (1.0 - P_ckpt) * P_mitigation
            o_ckpt[i] = comp - o_useful[i]
            o_die[i] = t_k + P_die_rise_k * thr
        # links (the exact elevation test where a station is within reach) and the step's sums
        for i in range(n):
            alive = live[i] > 0.0
            seen = 0
            if alive and near[i] > 0.0:
                xe, ye, ze = ex[i], ey[i], pz[i]
                rr = xe * xe + ye * ye + ze * ze
                for s in range(n_st):
                    if xe * dir_x[s] + ye * dir_y[s] + ze * dir_z[s] < reach[i]:
                        continue
                    along = xe * st_up[s, 0] + ye * st_up[s, 1] + ze * st_up[s, 2] - st_gu[s]
                    if along < 0.0:  # below the station's horizon plane
                        continue
                    dist2 = rr - 2.0 * (xe * st_ecef[s, 0] + ye * st_ecef[s, 1] + ze * st_ecef[s, 2]) + st_gg[s]
                    if along * along >= P_sin2_el * dist2:
                        seen |= 1 << s
                        if masks:
                            station_seen[k, s] += 1
            useful = o_useful[i]
            out_bytes = useful * dt * P_bytes_per_j
            if direct:
                vismask[k, i] = seen
                generated[k, i] = out_bytes
            else:
                s_generated += out_bytes
            if alive:
                s_illum += shade[i]
                s_alive += 1.0
                s_soc += battery[i] * inv_cap[i]
                s_temp += node[i]
                s_die = max(s_die, o_die[i])
                s_contact += 1.0 if seen else 0.0
            s_array += o_array[i]
            s_load += o_heat[i]
            s_active += act[i]
            s_compute += useful
            s_short += o_short[i]
            s_throttle += o_throttle[i]
            s_restart += o_restart[i]
            s_ckpt += o_ckpt[i]
            s_hits += hit[i]
        sums[k, _ILLUM], sums[k, _ALIVE], sums[k, _ARRAY], sums[k, _LOAD] = s_illum, s_alive, s_array, s_load
        sums[k, _SOC], sums[k, _TEMP], sums[k, _DIE], sums[k, _ACTIVE] = s_soc, s_temp, s_die, s_active
        sums[k, _COMPUTE], sums[k, _SHORT], sums[k, _THROTTLE], sums[k, _RESTART] = s_compute, s_short, s_throttle, s_restart
        sums[k, _CKPT], sums[k, _HITS], sums[k, _CONTACT] = s_ckpt, s_hits, s_contact
        if not direct:
            generated[k, 0] = s_generated
        # this step's end is the next one's start
        px, qx, py, qy, pz, qz, nx, qnx, ny, qny, nz, qnz = qx, px, qy, py, qz, pz, qnx, nx, qny, ny, qnz, nz
        rinv, qrinv, cls, cls_end = qrinv, rinv, cls_end, cls
        x_start, x_end, known, known_end = x_end, x_start, known_end, known


def kernel_parameters(setup: Setup, const: Constants, r_max_m: float) -> np.ndarray:
    """The scalar parameters of :func:`compiled_chunk`, in the order of :data:`PARAMS`.

    Parameters
    ----------
    setup : Setup
        The run (``setup.interrupts`` set).
    const : Constants
        Per-run numbers (array coefficient).
    r_max_m : float
        Largest satellite radius of the chunk [m] (the shadow and station pre-selections,
        :func:`shadow_bounds`, :func:`view_angle`).

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
    outer = view_angle(const.station_ecef_m, const.stations_lat_rad, r_max_m, f("min_elevation_rad")) if (
        const.station_ecef_m.shape[0]) else 0.0
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
        "view_outer": outer,
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
        edges = np.append(ci.t_s, ci.t_s[-1] + setup.step_s)  # every step's start and end (T + 1)
        cos_raan, sin_raan = angle_trig(nodes[0], nodes[1], edges)
        rates, rate_group = np.unique(u_dot, return_inverse=True)
        cos_theta, sin_theta = angle_trig(np.zeros(rates.size), rates, edges)
        u0 = el.arg_perigee_rad + el.mean_anomaly_rad
        kepler_args = (np.ascontiguousarray(el.semi_major_axis_m, dtype=float), 1.0 / el.semi_major_axis_m,
                       np.cos(el.inclination_rad),
                       np.sin(el.inclination_rad), np.cos(u0), np.sin(u0), rate_group.reshape(-1).astype(np.int64),
                       cos_theta, sin_theta, plane.reshape(-1).astype(np.int64), cos_raan, sin_raan)
        pos = vel = np.zeros((0, 0, 3))
        r_max = float(np.max(el.semi_major_axis_m))
    else:
        st = positions(setup, ci, ends=True)
        pos, vel = st.position_m, st.velocity_m_s
        none, none2, index = np.zeros(0), np.zeros((0, 0)), np.zeros(0, dtype=np.int64)
        kepler_args = (none, none, none, none, none, none, index, none2, none2, index, none2, none2)
        r_max = float(np.sqrt(np.max(np.sum(pos * pos, axis=-1))))
    sun = np.vstack([ci.sun_m, ci.sun_end_m[None, :]])  # at every step's start and end (T + 1)
    sun_unit = sun / np.linalg.norm(sun, axis=-1, keepdims=True)
    sums = np.zeros((steps, len(SUMS)))
    station_seen = np.zeros((steps, n_st))
    vismask = np.zeros((steps, n) if direct else (0, 0), dtype=np.int64)
    generated = np.zeros((steps, n) if direct else (steps, 1))
    battery, node, debt, buses = (np.array(x, copy=True) for x in state[:4])
    ring = rings(setup, ci) if n_st else None
    masks = direct or ring is None  # which stations each satellite sees matters (else only contact)
    ev, bus = ci.interrupts, ci.bus
    _chunk(kepler, *kepler_args, pos, vel, ci.t_s, ci.t_yr, sun, sun_unit,
           np.cos(ci.gmst_rad), np.sin(ci.gmst_rad), ci.degradation * ci.irradiance,  # the array's output per step
           ev.step, ev.satellite, ev.accept_u, ev.rollback_u,
           bus.step, bus.satellite, const.gpu_fail_yr, const.sat_fail_yr, const.station_ecef_m, const.station_up, masks,
           POINTING.index(str(v["sim_array_pointing"])), direct, ci.k0,
           kernel_parameters(setup, const, r_max), battery, node, debt, buses, sums, station_seen, vismask, generated)
    per_terminal, terminals = f("downlink_rate_bps") * f("clear_sky_fraction"), f("terminals_per_station")
    if ring is None:
        view = station_seen / setup.sample_fraction
    else:
        shared = kepler and ring.raan_start_rad.shape == nodes[0].shape and np.array_equal(
            ring.raan_start_rad, nodes[0]) and np.array_equal(ring.raan_rate_rad_s, nodes[1])
        trig = (cos_raan, sin_raan) if shared else None  # (P, T + 1): the steps' starts are the first T
        need = station_seen > 0 if direct else np.zeros((0, 0), dtype=bool)
        view = ring_view(ring, const, ci, need, math.inf if direct else terminals, trig)
    if direct:
        capacity = _direct_capacity(vismask, view, per_terminal, terminals, setup.step_s).T
    else:
        total = per_terminal * np.minimum(terminals, view).sum(axis=1) if n_st else np.zeros(steps)
        capacity = (total * setup.sample_fraction * setup.step_s / 8.0)[None, :]
    return ChunkSums(dict(zip(SUMS, sums.T)), generated.T, capacity,
                     TwinState(battery, node, debt, buses, state.backlog_b))
