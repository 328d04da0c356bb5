"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavSection {
  href: string;
  label: string;
}

/**
 * The dashboard's sections (ARCHITECTURE.md, "Web and API"), with the current one marked.
 * No link in the dashboard prefetches: every page is rendered live from PostgreSQL, so a
 * prefetch is a full server render (six of them on every page load) of data that will be
 * stale by the time anyone clicks.
 */
export function Nav({ sections }: { sections: NavSection[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Sections" className="nav">
      {sections.map((section) => {
        const active = section.href === "/" ? pathname === "/" : pathname.startsWith(section.href);
        return (
          <Link
            prefetch={false}
            key={section.href}
            href={section.href}
            className={active ? "nav-link active" : "nav-link"}
            aria-current={active ? "page" : undefined}
          >
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}
