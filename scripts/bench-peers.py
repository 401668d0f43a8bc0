#!/usr/bin/env python3
"""PyTorch peers of `npm run bench`: ms per full training step on the same MWG-sized batch.

Each step is what the project's benchmark times: forward over T = 110 steps, masked MSE, backward,
element-wise gradient clipping to [-1, 1], AdamW, and one loss read-back (loss.item()).

  nmrnn  an eager PyTorch NM-RNN (N100 R3 M5, tau_x 10, tau_z 100; L orthonormalised by QR each
         step), a Python loop over time steps, as the authors' JAX code is a scan over steps.
  rnn    torch.nn.RNN (N31, tanh) + a linear readout: PyTorch's fused op (not leaky, unlike ours).
  lstm   torch.nn.LSTM (N15) + a linear readout.

Usage: python3 scripts/bench-peers.py [--families nmrnn,rnn,lstm] [--batches 40,100]
       [--steps 30] [--warmup 5] [--threads 2] [--json]
Prints one line per configuration, or with --json a JSON list of rows on stdout.
"""
import argparse
import json
import statistics
import sys
import time

try:
    import torch
except ImportError:  # the caller (npm run bench -- --peers) reports this
    print("bench-peers: PyTorch is not installed (apt-get install python3-torch)", file=sys.stderr)
    sys.exit(3)

T, U, O = 110, 3, 1


class NmRnn(torch.nn.Module):
    """The NM-RNN of docs/SCIENCE.md section 1.1, written the plain way: a loop over time."""

    def __init__(self, n=100, r=3, m=5, tau_x=10.0, tau_z=100.0):
        super().__init__()
        g = torch.Generator().manual_seed(0)
        p = lambda *shape, s=1.0: torch.nn.Parameter(torch.randn(*shape, generator=g) * s)
        self.L, self.V = p(n, r, s=n**-0.5), p(n, r, s=n**-0.5)
        self.Bx, self.C, self.d = p(n, U, s=U**-0.5), p(O, n, s=n**-0.5), p(O, s=0.0)
        self.Wz, self.Bz = p(m, m, s=m**-0.5), p(m, U, s=U**-0.5)
        self.Az, self.bz = p(r, m, s=m**-0.5), p(r, s=0.0)
        self.n, self.m, self.ax, self.az = n, m, 1.0 / tau_x, 1.0 / tau_z

    def forward(self, u):
        b = u.shape[0]
        q, rr = torch.linalg.qr(self.L)
        lt = q * torch.sign(torch.diagonal(rr))  # sign-normalised QR, as ours
        x = u.new_zeros(b, self.n)
        z = u.new_zeros(b, self.m)
        ys = []
        for t in range(T):
            ut = u[:, t]
            z = (1 - self.az) * z + self.az * (torch.tanh(z) @ self.Wz.T + ut @ self.Bz.T)
            s = torch.sigmoid(z @ self.Az.T + self.bz)
            rec = ((torch.tanh(x) @ self.V) * s) @ lt.T
            x = (1 - self.ax) * x + self.ax * (rec + ut @ self.Bx.T)
            ys.append(x @ self.C.T + self.d)
        return torch.stack(ys, 1)


class Fused(torch.nn.Module):
    def __init__(self, cell):
        super().__init__()
        torch.manual_seed(0)
        n = 31 if cell == "rnn" else 15
        self.core = (torch.nn.RNN if cell == "rnn" else torch.nn.LSTM)(U, n, batch_first=True)
        self.readout = torch.nn.Linear(n, O)

    def forward(self, u):
        h, _ = self.core(u)
        return self.readout(h)


def bench(family, batch, steps, warmup):
    model = NmRnn() if family == "nmrnn" else Fused(family)
    g = torch.Generator().manual_seed(1)
    u = torch.randn(batch, T, U, generator=g)
    target = torch.randn(batch, T, O, generator=g)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = torch.mean((model(u) - target) ** 2)
        loss.backward()
        torch.nn.utils.clip_grad_value_(model.parameters(), 1.0)
        opt.step()
        loss.item()
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    q = lambda f: times[min(len(times) - 1, int(f * len(times)))]
    return {
        "family": family,
        "B": batch,
        "msPerStep": statistics.median(times),
        "p10": q(0.1),
        "p90": q(0.9),
        "steps": steps,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", default="nmrnn,rnn,lstm")
    ap.add_argument("--batches", default="40,100")
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    rows = []
    for fam in [f for f in a.families.split(",") if f in ("nmrnn", "rnn", "lstm")]:
        for b in [int(x) for x in a.batches.split(",") if x]:
            row = bench(fam, b, a.steps, a.warmup)
            rows.append(row)
            if not a.json:
                print(f"  torch {fam:6} B{b:<4} {row['msPerStep']:8.2f} ms/step "
                      f"(p10 {row['p10']:.2f}, p90 {row['p90']:.2f}, {a.threads} threads)")
    if a.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
