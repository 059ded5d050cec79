import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { DeliveryStatus } from "../bindings/DeliveryStatus";
import { Ticks } from "./Ticks";

describe("Ticks", () => {
  const cases: [DeliveryStatus, string][] = [
    ["pending", "Waiting to send"],
    ["queued", "Sending"],
    ["accepted", "Sending"],
    ["sent", "Sent"],
    ["delivered", "Delivered"],
    ["read", "Read"],
    ["played", "Read"],
  ];

  it.each(cases)("labels %s as %s", (status, label) => {
    render(<Ticks status={status} />);
    const ticks = screen.getByRole("img", { name: label });
    expect(ticks.classList.contains("ticks")).toBe(true);
    expect(ticks.getAttribute("data-status")).toBe(status);
  });

  it("includes the error for failed messages", () => {
    render(<Ticks status="failed" error="Recipient is not on WhatsApp" />);
    const ticks = screen.getByRole("img", { name: "Failed: Recipient is not on WhatsApp" });
    expect(ticks.classList.contains("ticks-error")).toBe(true);
  });

  it("marks read ticks with the read tone, delivered ones without", () => {
    const { container } = render(
      <>
        <Ticks status="read" />
        <Ticks status="delivered" />
      </>,
    );
    expect(container.querySelector('[data-status="read"]')?.classList.contains("ticks-read")).toBe(true);
    expect(container.querySelector('[data-status="delivered"]')?.classList.contains("ticks-read")).toBe(false);
  });

  it("renders nothing for inbound 'received' messages", () => {
    const { container } = render(<Ticks status="received" />);
    expect(container.innerHTML).toBe("");
  });
});
