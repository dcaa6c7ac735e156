import { redirect } from "next/navigation";

// The guard in proxy.ts already sent visitors without a session to /login.
export default function Home() {
  redirect("/dashboard");
}
