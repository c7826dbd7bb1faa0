// Progressive enhancement only: every page works without this file. It loads GOV.UK
// Frontend's components (error summary focus, notification banners, checkboxes, tabs…).
// A file, not an inline script, so the Content-Security-Policy stays script-src 'self'.
import { initAll } from "/assets/govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
