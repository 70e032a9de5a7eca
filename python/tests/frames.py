"""A deterministic generator of EAR cases (products around the thresholds x destinations x end users), as a
pandas DataFrame whose columns are named after the facts."""

import itertools

import pandas

PRODUCTS = [  # name, manufacturer, kind, tpp, die area, io bandwidth, datacenter (as tests/bench/ear_cases.cpp)
    ("A100", "NVIDIA", "ic", "4992", "826", "600", True),
    ("H100", "NVIDIA", "ic", "15832", "814", "900", True),
    ("H800", "NVIDIA Corporation", "ic", "15832", "814", "528", True),
    ("H20", "NVIDIA", "ic", "2368", "814", "900", True),
    ("L20", "NVIDIA", "ic", "1912", "608.5", "64", True),
    ("RTX 4090", "NVIDIA", "ic", "5285", "608.5", "64", False),
    ("MI300X", "AMD", "ic", "20919", "1017", "896", True),
    ("PD exactly 5.92", "Acme", "ic", "2054.24", "347", "100", True),
    ("PD just below 5.92", "Acme", "ic", "2054.23", "347", "100", True),
    ("TPP just below 4800", "Acme", "ic", "4799.999", "2000", "100", False),
    ("DGX H100", "NVIDIA", "computer", "15832", "814", "900", True),
    ("HBM3E stack", "Acme", "hbm", "0", "1", "0", False),
]
DESTINATIONS = ["US", "CN", "HK", "MO", "RU", "AE", "SA", "IL", "GB", "SG", "NI", "VN", "DE", "IN", "TW"]
END_USERS = [None, "Acme Corp", "Biren Technology Co., Ltd.", "Moore Threads"]


def ear_frame(rows):
    """`rows` cases, cycling through the combinations; tpp is an exact decimal string column."""
    combos = list(itertools.product(PRODUCTS, DESTINATIONS, END_USERS))
    records = []
    for i in range(rows):
        (name, maker, kind, tpp, die, io, dc), dest, user = combos[i % len(combos)]
        records.append({
            "product.name": name,
            "product.manufacturer": maker,
            "product.kind": kind,
            "product.tpp": tpp,
            "product.die_area_mm2": die,
            "product.io_bandwidth_gbps": io,
            "product.datacenter": dc,
            "destination.country": dest,
            "end_user.name": user,
        })
    return pandas.DataFrame.from_records(records)
