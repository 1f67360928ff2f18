// Messages of the returnee screens (src/routes/returnee/): keys are t("returnee.<key>").
export const es = {
  home_title: "Mi cuenta",
  claim_title: "Activa tu cuenta",
};

export const en: typeof es = {
  home_title: "My account",
  claim_title: "Activate your account",
};
