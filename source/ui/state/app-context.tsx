/** What every screen can reach: the injected services, history, settings, the account and the current region. */
import {createContext, useContext} from 'react';
import type {History} from '../../core/history.js';
import type {Services} from '../../core/services.js';
import type {AccountInfo} from '../../core/types.js';
import type {Settings} from '../../store/settings.js';
import type {StoreChains} from '../../store/store-chains.js';

export type AppContextValue = {
	services: Services;
	history: History;
	/** The image -> store chains bundledeck started (the dashboard continues them, restores are recorded there) */
	chains: StoreChains;
	settings: Settings;
	/** undefined while loading or when it could not be read */
	/** undefined while GetCallerIdentity runs; null when it failed (the header must not look like it is loading). */
	account: AccountInfo | null | undefined;
	region: string;
	setRegion(region: string): void;
	/** Bell + OSC 9 notification when a task the user waits for finishes. */
	notify(message: string): void;
	/** The single exit point (app.tsx). */
	quit(): void;
};

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useAppContext(): AppContextValue {
	const value = useContext(AppContext);
	if (!value) {
		throw new Error('useAppContext outside <AppContext.Provider>');
	}

	return value;
}

export function useServices(): Services {
	return useAppContext().services;
}
