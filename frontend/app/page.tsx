import { redirect } from "next/navigation";

// The guard in middleware.ts already sent visitors without a session to /login.
export default function Home() {
  redirect("/dashboard");
}
