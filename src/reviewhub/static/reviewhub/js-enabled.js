// Mark the page as scripted before it paints (a file, not inline, so the CSP forbids inline script).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
