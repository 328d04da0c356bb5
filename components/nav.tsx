"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavSection {
  href: string;
  label: string;
}

/** The dashboard's sections (ARCHITECTURE.md, "Web and API"), with the current one marked. */
export function Nav({ sections }: { sections: NavSection[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Sections" className="nav">
      {sections.map((section) => {
        const active = section.href === "/" ? pathname === "/" : pathname.startsWith(section.href);
        return (
          <Link
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
