"use client";
/**
 * "Zahlung bestätigen" with one question in between ("Haben Sie den Betrag überwiesen?"),
 * inline rather than in a modal: it keeps the portal's JavaScript small and works the same
 * on a phone. After the API has recorded it, the page is loaded again with `?confirmed=1`,
 * and the server renders the paid state plus the thank-you note. A full load rather than a
 * client-side router transition: on a busy phone (and a loaded test machine) the transition
 * was seen to fetch the new page and never commit it, leaving the customer on the unpaid view.
 */
import { useEffect, useRef, useState } from "react";
import { createApiClient, unwrap } from "@/lib/api/client";
import { ApiError } from "@/lib/api/errors";
import { ThankYou } from "./thank-you";

type Phase = "idle" | "asking" | "sending" | "done" | "failed";

export interface ConfirmPaymentTexts {
  button: string;
  question: string;
  explain: string;
  yes: string;
  no: string;
  sending: string;
  thanksTitle: string;
  thanksText: string;
  failed: string;
}

const api = createApiClient({ baseUrl: "" });

export function ConfirmPayment({ token, texts }: { token: string; texts: ConfirmPaymentTexts }) {
  const [phase, setPhase] = useState<Phase>("idle");
  const [error, setError] = useState<string | null>(null);
  const questionRef = useRef<HTMLHeadingElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    // Move focus with the step, so keyboard and screen-reader users land on the question
    // and, when they cancel, back on the button they pressed.
    if (phase === "asking") questionRef.current?.focus();
    if (phase === "idle" && wasAsking.current) triggerRef.current?.focus();
    wasAsking.current = phase === "asking" || phase === "failed";
  }, [phase]);

  async function confirm() {
    setPhase("sending");
    setError(null);
    try {
      await unwrap(api.POST("/api/portal/{token}/confirm-payment", { params: { path: { token } }, body: {} }));
      setPhase("done");
      const url = new URL(window.location.href);
      url.searchParams.set("confirmed", "1");
      // replace(): the back button must not lead to the unpaid view again.
      window.location.replace(url.pathname + url.search);
    } catch (e) {
      setError(e instanceof ApiError && e.status !== 0 && e.status < 500 ? e.message : texts.failed);
      setPhase("failed");
    }
  }

  if (phase === "done") return <ThankYou title={texts.thanksTitle} text={texts.thanksText} />;

  if (phase === "idle") {
    return (
      <button
        ref={triggerRef}
        type="button"
        onClick={() => setPhase("asking")}
        className="no-print inline-flex h-11 w-full items-center justify-center rounded-md bg-primary px-5 text-[15px] font-medium text-primary-foreground shadow-sm hover:bg-primary-hover focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 sm:w-auto"
      >
        {texts.button}
      </button>
    );
  }

  return (
    <section aria-labelledby="confirm-question" className="no-print grid gap-3 rounded-lg border border-primary/30 bg-accent/60 p-4" data-testid="portal-confirm-step">
      <h3 id="confirm-question" ref={questionRef} tabIndex={-1} className="text-[15px] font-semibold outline-none">
        {texts.question}
      </h3>
      <p className="text-sm text-foreground/80">{texts.explain}</p>
      {error ? (
        <p role="alert" className="text-sm font-medium text-destructive">
          {error}
        </p>
      ) : null}
      <div className="flex flex-col gap-2 sm:flex-row">
        <button
          type="button"
          onClick={confirm}
          disabled={phase === "sending"}
          className="inline-flex h-10 items-center justify-center rounded-md bg-primary px-4 text-sm font-medium text-primary-foreground shadow-sm hover:bg-primary-hover focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 disabled:opacity-60"
        >
          {phase === "sending" ? texts.sending : texts.yes}
        </button>
        <button
          type="button"
          onClick={() => setPhase("idle")}
          disabled={phase === "sending"}
          className="inline-flex h-10 items-center justify-center rounded-md border border-input bg-card px-4 text-sm font-medium hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-60"
        >
          {texts.no}
        </button>
      </div>
    </section>
  );
}
