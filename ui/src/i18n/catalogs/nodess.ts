// Messages of the nodess screens (src/routes/nodess/): keys are t("nodess.<key>").
export const es = {
  home_title: "Consola NODESS",
};

export const en: typeof es = {
  home_title: "NODESS console",
};
