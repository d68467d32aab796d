#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Embed a text file as a NUL-terminated C char array: embed.py IN OUT SYMBOL
import sys

src, dst, sym = sys.argv[1:4]
data = open(src, "rb").read()
with open(dst, "w") as out:
    out.write("/* SPDX-License-Identifier: MIT */\n")
    out.write(f"/* Generated from {src.split('/')[-1]} by configs/embed.py. */\n")
    out.write(f"const char {sym}[] = {{\n")
    for i in range(0, len(data), 12):
        out.write("\t" + ", ".join(f"0x{b:02x}" for b in data[i:i + 12]) + ",\n")
    out.write("\t0x00\n};\n")
