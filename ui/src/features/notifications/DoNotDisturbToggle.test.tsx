import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DeskSettings } from "../../bindings/DeskSettings";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { tomorrowAtNine } from "../conversation/windowModel";
import { DoNotDisturbToggle } from "./DoNotDisturbToggle";
import { inAnHour, isQuiet } from "./quietHours";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const BASE: DeskSettings = {
  retention_days: null,
  clear_on_sign_out: true,
  notification_sound: true,
  do_not_disturb: false,
  do_not_disturb_until: null,
};

function Harness({ initial }: { initial: DeskSettings }) {
  const [settings, setSettings] = useState(initial);
  return <DoNotDisturbToggle settings={settings} onChange={setSettings} />;
}

function toggle() {
  return document.getElementById("do-not-disturb") as HTMLButtonElement;
}

describe("do not disturb", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("holds while on, and until its end when it has one", () => {
    expect(isQuiet(null, 5)).toBe(false);
    expect(isQuiet(BASE, 5)).toBe(false);
    expect(isQuiet({ ...BASE, do_not_disturb: true }, 5)).toBe(true);
    expect(isQuiet({ ...BASE, do_not_disturb: true, do_not_disturb_until: 10 }, 9)).toBe(true);
    expect(isQuiet({ ...BASE, do_not_disturb: true, do_not_disturb_until: 10 }, 10)).toBe(false);
    expect(isQuiet({ ...BASE, do_not_disturb_until: 10 }, 9)).toBe(false);
    expect(inAnHour(1_000)).toBe(3_601_000);
  });

  it("offers how long to be quiet and turns on until turned off", async () => {
    mockCommands({ set_do_not_disturb: (r) => ({ ...BASE, do_not_disturb: r.on, do_not_disturb_until: r.until }) });
    const user = userEvent.setup();
    render(<Harness initial={BASE} />);
    expect(toggle().getAttribute("aria-pressed")).toBe("false");
    expect(toggle().textContent).toBe("Do not disturb");
    await user.click(toggle());
    await user.click(screen.getByRole("button", { name: "Until I turn it off" }));
    expect(callsOf("set_do_not_disturb")).toEqual([{ on: true, until: null }]);
    expect(toggle().getAttribute("aria-pressed")).toBe("true");
    expect(toggle().textContent).toBe("Do not disturb: on");

    await user.click(toggle());
    expect(callsOf("set_do_not_disturb").at(-1)).toEqual({ on: false, until: null });
    expect(toggle().getAttribute("aria-pressed")).toBe("false");
  });

  it("can be quiet for an hour or until tomorrow 9:00", async () => {
    mockCommands({ set_do_not_disturb: (r) => ({ ...BASE, do_not_disturb: r.on, do_not_disturb_until: r.until }) });
    const user = userEvent.setup();
    render(<Harness initial={BASE} />);
    const before = Date.now();
    await user.click(toggle());
    await user.click(screen.getByRole("button", { name: "For 1 hour" }));
    const hour = callsOf("set_do_not_disturb")[0];
    expect(hour?.on).toBe(true);
    expect(hour?.until).toBeGreaterThanOrEqual(inAnHour(before));
    expect(hour?.until).toBeLessThanOrEqual(inAnHour(Date.now()));
    expect(toggle().textContent).toMatch(/^Do not disturb until /);

    await user.click(toggle());
    await user.click(toggle());
    await user.click(screen.getByRole("button", { name: "Until tomorrow 9:00" }));
    expect(callsOf("set_do_not_disturb").at(-1)).toEqual({ on: true, until: tomorrowAtNine(Date.now()) });
  });

  it("shows as off once its end has passed", () => {
    render(<Harness initial={{ ...BASE, do_not_disturb: true, do_not_disturb_until: Date.now() - 1 }} />);
    expect(toggle().getAttribute("aria-pressed")).toBe("false");
  });

  it("says why when the change fails and keeps the old state", async () => {
    mockCommands({
      set_do_not_disturb: () => {
        throw { code: "storage", message: "disk full" };
      },
    });
    const user = userEvent.setup();
    render(<Harness initial={BASE} />);
    await user.click(toggle());
    await user.click(screen.getByRole("button", { name: "Until I turn it off" }));
    expect((await screen.findByRole("alert")).textContent).toContain("disk full");
    expect(toggle().getAttribute("aria-pressed")).toBe("false");
  });
});
