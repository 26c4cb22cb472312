// Start the GOV.UK Frontend components (error summary focus, details, buttons).
if (window.GOVUKFrontend && document.body.classList.contains("govuk-frontend-supported")) {
  window.GOVUKFrontend.initAll();
}
