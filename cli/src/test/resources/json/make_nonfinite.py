"""Reference for how `--json` writes NaN and the infinities: exactly as Python's json module does.

Run: python3 make_nonfinite.py   (writes nonfinite.json beside this file, and checks that
json.loads reads it back to the same values)
"""
import json
import math
import os

here = os.path.dirname(os.path.abspath(__file__))
# The shape of `backprop grad --json` at a point where the value is NaN and the gradient infinite.
value = {"value": float("nan"), "gradient": {"x": float("inf"), "y": float("-inf"), "z": 0.5}}
text = json.dumps(value)
back = json.loads(text)
assert math.isnan(back["value"]) and back["gradient"] == {"x": math.inf, "y": -math.inf, "z": 0.5}
with open(os.path.join(here, "nonfinite.json"), "w") as f:
    f.write(text + "\n")
print(text)
